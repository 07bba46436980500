"""Compatibility layers for code written against other guardrail libraries.

``lf_middleware.compat.llamafirewall`` mirrors LlamaFirewall 1.0.3's module paths and names, so code written for
it ports by renaming the import ``llamafirewall`` to ``lf_middleware.compat.llamafirewall``. See
``docs/migrating_from_llamafirewall.md``.
"""
