"""The configuration examples in docs/security_stack.md and docs/tool_policy.md are valid, and the worked
configurations do what the text around them says.

Every ```yaml / ```toml block is extracted and validated: engine configurations with ``parse_config`` (scanner
names must be known, the tool policy must build, ``rule_of_two`` must pass ``RuleOfTwoConfig.from_any``, every
installed scanner must accept its options); tool-policy fragments (a rules file, a rule list, a ``url:`` or
``path:`` constraint) by building ``ToolPolicyScanner``. Scanners that may not be installed here (prompt_guard,
code_shield) are still checked by name and by the shape of their spec."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from lf_middleware.config import EngineConfig, parse_config
from lf_middleware.rule_of_two import RuleOfTwoConfig, ToolCall, new_state, observe
from lf_middleware.scanners.base import available_scanners, create_scanner
from lf_middleware.scanners.tool_policy import ToolPolicyScanner
from lf_middleware.types import ScanDecision

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^([ \t]*)```(yaml|toml)[ \t]*\n(.*?)^[ \t]*```", re.S | re.M)
ALLOW, HITL, BLOCK = ScanDecision.ALLOW, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, ScanDecision.BLOCK
ENGINE_KEYS = set(EngineConfig.model_fields)


def blocks(doc: str) -> list[tuple[str, Any]]:
    text = (DOCS / doc).read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        body = textwrap.dedent(m.group(3))
        line = text.count("\n", 0, m.start()) + 1
        data = yaml.safe_load(body) if m.group(2) == "yaml" else tomllib.loads(body)
        out.append((f"{doc}:{line}", data))
    return out


ALL = blocks("security_stack.md") + blocks("tool_policy.md")


def test_the_docs_have_config_blocks() -> None:
    assert len(blocks("security_stack.md")) >= 4
    assert len(blocks("tool_policy.md")) >= 6


#: scanners built for real from the docs' options (no model, binary or network needed)
CHEAP = frozenset({"regex", "hidden_ascii"})


def check_engine_config(data: dict[str, Any], tmp_path: Path) -> EngineConfig:
    cfg = parse_config(data)
    known = set(available_scanners())
    for role, specs in cfg.scanners.items():
        for spec in specs:
            assert spec.name in known, f"role {role.value}: unknown scanner {spec.name!r}"
    for name in cfg.scanner_options:
        assert name in known, f"scanner_options names unknown scanner {name!r}"
    RuleOfTwoConfig.from_any(cfg)
    for name in {s.name for specs in cfg.scanners.values() for s in specs} | set(cfg.scanner_options):
        options = dict(cfg.scanner_options.get(name, {}))
        if name == "tool_policy":
            if "rules_file" in options and not Path(options["rules_file"]).exists():
                # the doc points at a file on the reader's machine: validate the rest with an empty rules file
                stand_in = tmp_path / "rules.yaml"
                stand_in.write_text("rules: []\n")
                options["rules_file"] = str(stand_in)
            ToolPolicyScanner(**options)
        elif name in CHEAP:
            create_scanner(name, **options)
        # prompt_guard / code_shield (a model, a Semgrep binary; maybe not installed) and the LLM checks (a judge)
        # are checked by name and spec shape above, not built: their options are covered by their own tests
    return cfg


def check_tool_policy_fragment(data: Any) -> ToolPolicyScanner:
    if isinstance(data, list):  # a list of rules
        return ToolPolicyScanner(rules=data)
    if isinstance(data, dict) and set(data) <= {"url", "path"}:  # one argument constraint
        return ToolPolicyScanner(rules=[{"tool": "t", "args": {"arg": data}}])
    return ToolPolicyScanner(**data)  # a rules file


@pytest.mark.parametrize(("where", "data"), ALL, ids=[w for w, _ in ALL])
def test_config_block_is_valid(where: str, data: Any, tmp_path: Path) -> None:
    assert isinstance(data, (dict, list)), f"{where}: not a mapping or list"
    if isinstance(data, dict) and "scanners" in data:
        assert set(data) <= ENGINE_KEYS, f"{where}: unknown top-level keys {set(data) - ENGINE_KEYS}"
        check_engine_config(data, tmp_path)
    else:
        check_tool_policy_fragment(data)


# --- the worked configurations of security_stack.md do what the text says ---------------------------------------


def shape(title: str) -> dict[str, Any]:
    text = (DOCS / "security_stack.md").read_text(encoding="utf-8")
    start = text.index(title)
    m = FENCE.search(text, start)
    assert m is not None
    return yaml.safe_load(textwrap.dedent(m.group(3)))


def policy_decision(cfg: EngineConfig, tool: str, args: dict[str, Any]) -> ScanDecision:
    return ToolPolicyScanner(**cfg.scanner_options["tool_policy"]).check_call(tool, args).decision


def session(cfg: EngineConfig, tools: list[str]) -> list[ScanDecision]:
    r2 = RuleOfTwoConfig.from_any(cfg)
    state = new_state()
    out = []
    for tool in tools:
        props = r2.mapped_properties(tool)
        state, result = observe(state, ToolCall(tool=tool, properties=props if props is not None
                                                else frozenset(r2.undeclared)), config=r2)
        out.append(result.decision)
    return out


def test_bc_internal_operations_agent() -> None:
    cfg = parse_config(shape("### BC"))
    assert policy_decision(cfg, "update_ticket", {"id": 7}) is ALLOW
    assert policy_decision(cfg, "delete_database", {}) is BLOCK  # default: block
    assert session(cfg, ["read_ticket", "update_ticket"]) == [ALLOW, ALLOW]  # B and C only


def test_ac_browsing_assistant() -> None:
    cfg = parse_config(shape("### AC"))
    assert policy_decision(cfg, "fetch_page", {"url": "https://news.example/story"}) is ALLOW
    assert policy_decision(cfg, "http_request", {"url": "https://en.wikipedia.org/wiki/X"}) is ALLOW
    assert policy_decision(cfg, "http_request", {"url": "https://evil.example/x?d=secret"}) is BLOCK
    assert session(cfg, ["fetch_page", "http_request"]) == [ALLOW, ALLOW]  # A and C only


def test_ab_read_only_summariser() -> None:
    cfg = parse_config(shape("### AB"))
    assert policy_decision(cfg, "read_mail", {}) is ALLOW
    assert policy_decision(cfg, "send_mail", {}) is BLOCK
    # "The tracker blocks any C tool outright": an undeclared tool counts as A, B and C
    assert session(cfg, ["read_mail", "send_mail"]) == [ALLOW, BLOCK]


def test_all_three_under_supervision() -> None:
    cfg = parse_config(shape("### All three"))
    assert policy_decision(cfg, "http_request", {"url": "https://evil.example/exfil"}) is BLOCK
    # the tool policy lets the agent's own tools through, so the Rule of Two is what asks the person
    for tool in ("read_profile", "book_trip"):
        assert policy_decision(cfg, tool, {}) is ALLOW, tool
    assert policy_decision(cfg, "fetch_page", {"url": "https://reviews.example/hotel"}) is ALLOW
    assert session(cfg, ["fetch_page", "read_profile", "book_trip"]) == [ALLOW, ALLOW, HITL]
