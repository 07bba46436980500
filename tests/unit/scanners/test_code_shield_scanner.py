"""CodeShieldScanner configuration and its regex-only path (no Semgrep process)."""

from __future__ import annotations

import pytest

from lf_middleware.errors import ConfigurationError
from lf_middleware.scanners.base import create_scanner
from lf_middleware.scanners.code_shield import CodeShieldScanner
from lf_middleware.scanners.code_shield._catalogue import SEVERITIES, catalogue, run_regex_rules
from lf_middleware.types import AssistantMessage, ScanDecision, ScanStatus


@pytest.mark.parametrize(
    "options",
    [
        {"severity_decisions": {"critical": "block"}},
        {"severity_decisions": {"error": "deny"}},
        {"languages": ["cobol"]},
        {"timeout_s": 0},
        {"max_semgrep_bytes": -1},
        {"disabled_rules": ["no-such-rule"]},
    ],
)
def test_bad_options_are_configuration_errors(options: dict) -> None:
    with pytest.raises(ConfigurationError):
        CodeShieldScanner(**options)


def test_registry_builds_it_without_score_thresholds() -> None:
    scanner = create_scanner("code_shield", use_semgrep=False)
    assert isinstance(scanner, CodeShieldScanner)
    assert scanner.score_based is False
    assert scanner.default_hitl_threshold is None and scanner.default_block_threshold is None


def test_every_rule_has_cwe_severity_and_fix_hint() -> None:
    for rule in catalogue().rules.values():
        assert rule.cwe.startswith("CWE-") and rule.cwe[4:].isdigit(), rule.id
        assert rule.severity in SEVERITIES, rule.id
        assert len(rule.fix_hint) > 20 and len(rule.message) > 10, rule.id


def test_regex_only_mode_decides_by_severity() -> None:
    scanner = CodeShieldScanner(use_semgrep=False)
    block = scanner.scan_sync(AssistantMessage("```c\nchar b[8];\ngets(b);\n```"))
    hitl = scanner.scan_sync(AssistantMessage("```c\nint r = rand();\nprintf(\"%d\", r);\n```"))
    info = scanner.scan_sync(AssistantMessage("```rust\nfn main() {\n    let a: Vec<String> = std::env::args().skip(1).collect();\n}\n```"))
    assert block.decision is ScanDecision.BLOCK and "c-gets" in block.reason and "CWE-242" in block.reason
    assert hitl.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert info.decision is ScanDecision.ALLOW and "informational" in info.reason
    assert {block.status, hitl.status, info.status} == {ScanStatus.SUCCESS}


def test_disabled_rules_and_language_filter() -> None:
    code = AssistantMessage("```c\nchar b[8];\ngets(b);\n```")
    assert CodeShieldScanner(use_semgrep=False, disabled_rules=["c-gets"]).scan_sync(code).decision is ScanDecision.ALLOW
    assert CodeShieldScanner(use_semgrep=False, languages=["python"]).scan_sync(code).decision is ScanDecision.ALLOW
    secret = AssistantMessage("```c\nconst char *k = \"AKIAIOSFODNN7EXAMPLE\";\n```")
    # language-independent rules still apply to languages left out
    assert CodeShieldScanner(use_semgrep=False, languages=["python"]).scan_sync(secret).decision is ScanDecision.BLOCK


def test_non_text_content_is_an_error_not_an_allow() -> None:
    class Odd:
        content = b"\x00binary"
        tool_calls = None

    result = CodeShieldScanner(use_semgrep=False).scan_sync(Odd())  # type: ignore[arg-type]
    assert result.status is ScanStatus.ERROR


def test_reason_lists_at_most_max_reasons() -> None:
    code = "```c\n" + "".join(f"void f{i}(char *d, char *s) {{\n    strcpy(d, s);\n}}\n" for i in range(12)) + "```"
    result = CodeShieldScanner(use_semgrep=False, max_reasons=3).scan_sync(AssistantMessage(code))
    assert result.reason.count("c-unbounded-string-copy") == 3 and "and 9 more" in result.reason
    assert len(result.details["findings"]) == 12


def test_rule_files_ship_as_package_data() -> None:
    import fnmatch
    from pathlib import Path

    import tomllib
    from setuptools import find_namespace_packages

    from lf_middleware.scanners.code_shield.rules import RULES_DIR

    root = Path(__file__).resolve().parents[3]
    setup = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    # setup.py finds the packages (namespace discovery: data folders count as packages)
    packages = set(find_namespace_packages(str(root), include=["lf_middleware.*"]))
    generic = setup["package-data"]["*"]  # setuptools applies these to files directly in a package folder
    data_files = [p.relative_to(RULES_DIR).as_posix() for p in RULES_DIR.rglob("*.yaml")]
    assert len(data_files) >= 5
    for name in data_files:
        folder = ".".join(["lf_middleware.scanners.code_shield.rules", *name.split("/")[:-1]])
        shipped = folder in packages and any(fnmatch.fnmatch(name.rsplit("/", 1)[-1], pat) for pat in generic)
        assert shipped, f"{name} would not be installed"


def test_python_fragment_cut_inside_a_docstring_is_still_analysed() -> None:
    """A fragment may start or end inside a docstring (an odd number of triple quotes); the code outside it
    is still matched, and the docstring's prose is not."""
    starts_inside = 'the query and the parameters.\n    eval(name) is not called here\n    """\n    return eval(expr)\n'
    ends_inside = 'def run(query, scope):\n    exec("result = %s" % (query), scope)\n\ndef doc():\n    """Returns the query.\n'
    assert [(i.id, line) for i, line in run_regex_rules(starts_inside, "python")] == [("py-code-eval", 4)]
    assert [(i.id, line) for i, line in run_regex_rules(ends_inside, "python")] == [("py-code-eval", 2)]


@pytest.mark.parametrize(
    ("language", "code", "rule_id", "decision"),
    [
        ("javascript", "const vm = require('vm');\nvm.runInNewContext(req.body.code, {});\n", "js-vm-code",
         ScanDecision.BLOCK),
        ("javascript", "window.parent.postMessage({ token: t }, '*');\n", "js-postmessage-any-origin",
         ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED),
        ("java", 'Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");\n', "java-unauthenticated-cipher-mode",
         ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED),
        ("java", 'response.setHeader("Access-Control-Allow-Origin", request.getHeader("Origin"));\n',
         "java-cors-origin-reflected", ScanDecision.BLOCK),
        ("csharp", "public IActionResult Back(string returnUrl)\n{\n    return Redirect(returnUrl);\n}\n",
         "cs-open-redirect", ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED),
        ("rust", "let status = Command::new(tool).arg(path).status();\n", "rust-command-from-variable",
         ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED),
        ("php", "<?php\nheader('Location: ' . $_GET['next']);\n", "php-open-redirect",
         ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED),
        ("cpp", "xmlDocPtr d = xmlReadDoc(buf, NULL, NULL, XML_PARSE_NOENT);\n", "c-xxe", ScanDecision.BLOCK),
    ],
)
def test_coverage_rules_decide_by_severity_with_a_fix_hint(language: str, code: str, rule_id: str,
                                                           decision: ScanDecision) -> None:
    result = CodeShieldScanner(use_semgrep=False).scan_sync(AssistantMessage(f"```{language}\n{code}```"))
    finding = next(f for f in result.details["findings"] if f["rule_id"] == rule_id)
    assert result.decision is decision and rule_id in result.reason
    assert finding["fix_hint"] and "Fix:" in result.reason


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("javascript", "const out = execFile('git', ['log', ref]);\nel.textContent = name;\n"
                       "const token = crypto.randomBytes(32).toString('hex');\n"),
        ("java", 'Cipher c = Cipher.getInstance("AES/GCM/NoPadding");\nSecureRandom rng = new SecureRandom();\n'),
        ("csharp", 'cmd.CommandText = "SELECT * FROM Users WHERE Id = @id";\n'
                   'cmd.Parameters.AddWithValue("@id", id);\nvar n = RandomNumberGenerator.GetInt32(10);\n'),
        ("php", "<?php\n$hash = password_hash($password, PASSWORD_DEFAULT);\n$stmt = $pdo->prepare('SELECT 1');\n"),
    ],
)
def test_secure_look_alikes_are_allowed(language: str, code: str) -> None:
    result = CodeShieldScanner(use_semgrep=False).scan_sync(AssistantMessage(f"```{language}\n{code}```"))
    assert result.decision is ScanDecision.ALLOW, result.reason
