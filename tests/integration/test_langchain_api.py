"""The adapter's public surface, and what happens without the langchain extra."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("langchain_core")


def test_public_names_resolve_and_match_all():
    import lf_middleware.adapters.langchain as lc

    assert set(lc.__all__) == set(lc._dynamic_imports)
    for name in lc.__all__:
        assert getattr(lc, name) is not None
    with pytest.raises(AttributeError):
        lc.NoSuchThing  # noqa: B018


def test_missing_extra_names_the_extra():
    code = (
        "import sys; sys.modules['langchain_core'] = None\n"
        "import lf_middleware.adapters.langchain as lc\n"
        "try:\n"
        "    lc.GuardCallbackHandler\n"
        "except ImportError as err:\n"
        "    print(type(err).__name__, err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "MissingDependencyError" in out.stdout and "lf-middleware[langchain]" in out.stdout


def test_core_import_stays_free_of_langchain():
    code = "import sys, lf_middleware, lf_middleware.adapters.langchain; print(sorted(m for m in sys.modules " \
           "if m.split('.')[0] in ('langchain', 'langchain_core', 'langgraph')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]"
