"""The public surface can only change on purpose: ``lf_middleware.__all__`` is pinned here."""

from __future__ import annotations

import subprocess
import sys

import lf_middleware

EXPECTED = {
    "AssistantMessage", "AuditLog", "ConfigurationError", "EngineConfig", "GuardrailBlocked", "GuardrailTriggered",
    "HumanApprovalRequired", "LfMiddlewareError", "LlamaFirewall", "MemoryMessage", "Message",
    "MissingDependencyError", "ModelLoadError", "Role", "ScanDecision", "ScanResult", "ScanStatus", "Scanner",
    "ScannerError", "ScannerPolicy", "ScannerSpec", "ScannerType", "SystemMessage", "ToolMessage", "Trace",
    "UseCase", "UserMessage", "__version__", "available_scanners", "create_scanner", "load_config",
    "register_scanner", "Property", "RuleOfTwo", "RuleOfTwoConfig", "classify_agent", "exercises",
}


def test_all_is_pinned():
    assert set(lf_middleware.__all__) == EXPECTED
    assert len(lf_middleware.__all__) == len(set(lf_middleware.__all__))


def test_every_public_name_resolves():
    for name in lf_middleware.__all__:
        assert getattr(lf_middleware, name) is not None, name


def test_unknown_attribute_is_attribute_error():
    try:
        lf_middleware.NoSuchThing  # noqa: B018
    except AttributeError as err:
        assert "NoSuchThing" in str(err)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_builtin_scanners_are_registered_by_scanner_type_value():
    names = set(lf_middleware.available_scanners())
    assert {"regex", "hidden_ascii", "prompt_guard", "code_shield", "agent_alignment"} <= names


def test_import_is_light_and_regex_scanning_stays_light():
    code = (
        "import sys, lf_middleware as m\n"
        "lf = m.LlamaFirewall(scanners={m.Role.USER: ['regex', 'hidden_ascii']})\n"
        "lf.scan(m.UserMessage('hi'))\n"
        "heavy = [x for x in ('torch', 'transformers', 'langchain_core', 'langgraph', 'semgrep') if x in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
