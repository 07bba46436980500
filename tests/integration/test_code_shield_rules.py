"""CodeShield rules against their fixtures, and the scanner end to end, through the real Semgrep binary.

Fixtures follow Semgrep's rule-test convention: a comment ``ruleid: <id>[, <id>...]`` above a line that the
rule(s) must flag, ``ok: <id>`` above a line they must not flag, and no finding may appear on any other line.
Semgrep rules are checked by ``osemgrep test`` (the native binary from the wheel); regex rules by the same
convention through CodeShield's own regex engine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from lf_middleware.scanners.code_shield._catalogue import catalogue, run_regex_rules
from lf_middleware.scanners.code_shield.extraction import language_for_path
from lf_middleware.scanners.code_shield.runner import SemgrepRunner, find_semgrep_core

pytestmark = pytest.mark.semgrep

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "code_shield"
SEMGREP_DIR = catalogue().semgrep_files
_ANNOTATION = re.compile(r"^\s*(?://|#)\s*(ruleid|ok):\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*$")

if find_semgrep_core() is None:  # pragma: no cover - the dev environment has the semgrep wheel
    pytest.skip("the semgrep wheel (semgrep-core) is not installed: pip install lf-middleware[codeshield]",
                allow_module_level=True)


def annotations(path: Path) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """(expected, forbidden): rule ids per 1-based line, from the comment above each annotated line."""
    expected: dict[int, set[str]] = defaultdict(set)
    forbidden: dict[int, set[str]] = defaultdict(set)
    pending: list[tuple[str, list[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = _ANNOTATION.match(line)
        if m:
            pending.append((m.group(1), [x.strip() for x in m.group(2).split(",")]))
            continue
        if line.strip().startswith(("//", "#")) and pending:
            continue  # e.g. a SAFETY comment between the annotation and the code
        for kind, ids in pending:
            (expected if kind == "ruleid" else forbidden)[number].update(ids)
        pending = []
    return expected, forbidden


def _osemgrep() -> str:
    return SemgrepRunner().resolve_binary()


def _semgrep_fixture(stem: str) -> Path:
    matches = [p for p in (FIXTURES / "semgrep").iterdir() if p.stem == stem]
    assert len(matches) == 1, f"expected one fixture named {stem}.* for rules/semgrep/{stem}.yaml, got {matches}"
    return matches[0]


@pytest.mark.parametrize("stem", sorted(SEMGREP_DIR))
def test_semgrep_rules_pass_their_fixtures(stem: str) -> None:
    config, fixture = SEMGREP_DIR[stem], _semgrep_fixture(stem)
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0")
    proc = subprocess.run(
        [_osemgrep(), "test", "--experimental", "--json", "--config", str(config), str(fixture)],
        capture_output=True, env=env, timeout=120, check=False,
    )
    report = json.loads(proc.stdout)
    assert not report.get("config_with_errors"), report.get("config_with_errors")
    checks = next(iter(report["results"].values()))["checks"]
    failed = {rid: c["matches"] for rid, c in checks.items() if not c["passed"]}
    assert not failed, f"Semgrep fixture failures in {fixture.name}: {failed}"
    import yaml

    rule_ids = {rule["id"] for rule in yaml.safe_load(config.read_text())["rules"]}
    assert set(checks) == rule_ids, f"rules without a fixture run: {rule_ids - set(checks)}"


def test_every_semgrep_rule_has_a_positive_and_a_negative_fixture() -> None:
    import yaml

    for stem, config in SEMGREP_DIR.items():
        expected, forbidden = annotations(_semgrep_fixture(stem))
        positives = set().union(*expected.values()) if expected else set()
        negatives = set().union(*forbidden.values()) if forbidden else set()
        for rule in yaml.safe_load(config.read_text())["rules"]:
            assert rule["id"] in positives, f"{rule['id']} has no 'ruleid:' fixture in {stem}"
            assert rule["id"] in negatives, f"{rule['id']} has no 'ok:' fixture in {stem}"


def _regex_fixtures() -> list[Path]:
    return sorted((FIXTURES / "regex").iterdir())


@pytest.mark.parametrize("fixture", _regex_fixtures(), ids=lambda p: p.name)
def test_regex_rules_pass_their_fixtures(fixture: Path) -> None:
    language = language_for_path(fixture.name)
    assert language is not None, fixture
    expected, forbidden = annotations(fixture)
    found: dict[int, set[str]] = defaultdict(set)
    for info, line in run_regex_rules(fixture.read_text(encoding="utf-8"), language):
        found[line].add(info.id)
    missing = {line: ids - found[line] for line, ids in expected.items() if ids - found[line]}
    unexpected = {line: ids - expected.get(line, set()) for line, ids in found.items() if ids - expected.get(line, set())}
    wrongly = {line: ids & found[line] for line, ids in forbidden.items() if ids & found[line]}
    assert not missing, f"{fixture.name}: expected findings not reported {missing}"
    assert not unexpected, f"{fixture.name}: unannotated findings {unexpected}"
    assert not wrongly, f"{fixture.name}: 'ok:' lines flagged {wrongly}"


def test_every_regex_rule_has_a_positive_and_a_negative_fixture() -> None:
    positives: set[str] = set()
    negatives: set[str] = set()
    for fixture in _regex_fixtures():
        expected, forbidden = annotations(fixture)
        positives.update(*expected.values())
        negatives.update(*forbidden.values())
    for rule in catalogue().regex_rules:
        assert rule.info.id in positives, f"{rule.info.id} has no 'ruleid:' fixture"
        assert rule.info.id in negatives, f"{rule.info.id} has no 'ok:' fixture"
