"""Framework integrations, installed as ``lf_middleware.adapters`` (never as a top-level ``adapters``).

``lf_middleware.adapters.langgraph`` and ``lf_middleware.adapters.langchain``; the core never imports them.
"""
