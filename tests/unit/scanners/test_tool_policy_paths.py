"""Filesystem path arguments confined to roots: ``..``, absolute escapes, real symlinks, odd input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lf_middleware import ScanDecision
from lf_middleware.scanners.tool_policy import ToolPolicyScanner

ALLOW = ScanDecision.ALLOW
BLOCK = ScanDecision.BLOCK


@pytest.fixture()
def sandbox(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("a")
    outside = tmp_path / "secrets"
    outside.mkdir()
    (outside / "key.pem").write_text("k")
    (tmp_path / "workspace-evil").mkdir()  # shares the root's name as a prefix
    os.symlink(outside, root / "link_out")  # directory symlink leading out of the root
    os.symlink(outside / "key.pem", root / "docs" / "key_link.pem")  # file symlink leading out
    os.symlink(root / "docs" / "a.txt", root / "inner_link.txt")  # symlink that stays inside
    os.symlink(root / "docs", tmp_path / "docs_alias")  # a link from outside into the root
    return tmp_path


def _scanner(sandbox: Path, **path_rule: object) -> ToolPolicyScanner:
    rule = {"roots": [str(sandbox / "workspace")], **path_rule}
    return ToolPolicyScanner(rules=[{"name": "fs", "tool": "read_file", "args": {"path": {"path": rule}}}])


PATHS = [
    ("docs/a.txt", ALLOW, ""),
    ("./docs/../docs/a.txt", ALLOW, ""),
    ("docs/new/not-yet-created.txt", ALLOW, ""),  # non-existent paths are judged lexically
    ("{root}/docs/a.txt", ALLOW, ""),
    ("{root}", ALLOW, ""),
    ("inner_link.txt", ALLOW, ""),
    ("{tmp}/docs_alias/a.txt", ALLOW, ""),  # resolves into the root
    ("../secrets/key.pem", BLOCK, "outside the allowed roots"),
    ("docs/../../secrets/key.pem", BLOCK, "outside the allowed roots"),
    ("docs/new/../../../secrets", BLOCK, "outside the allowed roots"),
    ("/etc/passwd", BLOCK, "outside the allowed roots"),
    ("{tmp}/secrets/key.pem", BLOCK, "outside the allowed roots"),
    ("{tmp}/workspace-evil/x", BLOCK, "outside the allowed roots"),
    ("link_out/key.pem", BLOCK, "outside the allowed roots"),
    ("link_out", BLOCK, "outside the allowed roots"),
    ("docs/key_link.pem", BLOCK, "outside the allowed roots"),
    # '..' after a symlink climbs from the link's target, as the OS does; a lexical check gets both wrong
    ("link_out/../workspace-evil/x", BLOCK, "outside the allowed roots"),
    ("link_out/../workspace/docs/a.txt", ALLOW, ""),
    ("~/.ssh/id_rsa", BLOCK, "may expand or decode"),
    ("", BLOCK, "path is empty"),
    ("docs/a.txt\x00.png", BLOCK, "NUL byte"),
    ("file://{root}/docs/a.txt", ALLOW, ""),
    ("file://{tmp}/secrets/key.pem", BLOCK, "outside the allowed roots"),
    ("file://remote.example/share/x", BLOCK, "remote host"),
    ("docs/\ud800.txt", BLOCK, "cannot be resolved"),
]


@pytest.mark.parametrize(("template", "expected", "why"), PATHS, ids=[p[0] or "<empty>" for p in PATHS])
def test_path_table(sandbox: Path, template: str, expected: ScanDecision, why: str) -> None:
    s = _scanner(sandbox)
    value = template.format(root=sandbox / "workspace", tmp=sandbox)
    result = s.check_call("read_file", {"path": value})
    assert result.decision is expected, result.reason
    if expected is BLOCK:
        assert why in result.reason and "'fs'" in result.reason


def test_symlinked_root_and_base(sandbox: Path) -> None:
    os.symlink(sandbox / "workspace", sandbox / "ws_link")
    s = ToolPolicyScanner(rules=[{"tool": "read_file", "args": {"path": {"path": {
        "roots": [str(sandbox / "ws_link")], "base": str(sandbox / "workspace" / "docs")}}}}])
    assert s.check_call("read_file", {"path": "a.txt"}).decision is ALLOW  # relative to base
    assert s.check_call("read_file", {"path": str(sandbox / "ws_link" / "docs" / "a.txt")}).decision is ALLOW
    assert s.check_call("read_file", {"path": "../../secrets/key.pem"}).decision is BLOCK


def test_relative_roots_resolve_against_base_dir(sandbox: Path) -> None:
    s = ToolPolicyScanner(base_dir=sandbox, rules=[{"tool": "read_file", "args": {"path": {"path": {
        "roots": ["workspace"]}}}}])
    assert s.check_call("read_file", {"path": "docs/a.txt"}).decision is ALLOW
    assert s.check_call("read_file", {"path": str(sandbox / "secrets")}).decision is BLOCK


def test_several_roots_and_lists_of_paths(sandbox: Path) -> None:
    s = ToolPolicyScanner(rules=[{"tool": "copy", "args": {"paths": {"path": {
        "roots": [str(sandbox / "workspace"), str(sandbox / "secrets")]}}}}])
    ok = [str(sandbox / "workspace" / "docs" / "a.txt"), str(sandbox / "secrets" / "key.pem")]
    assert s.check_call("copy", {"paths": ok}).decision is ALLOW
    bad = s.check_call("copy", {"paths": [*ok, "/etc/shadow"]})
    assert bad.decision is BLOCK and "item 2" in bad.reason


@pytest.mark.parametrize("value", [None, 3, ["docs/a.txt", 7], {"p": "docs/a.txt"}])
def test_non_string_paths_are_blocked(sandbox: Path, value: object) -> None:
    result = _scanner(sandbox).check_call("read_file", {"path": value})
    assert result.decision is BLOCK and "expected a path string" in result.reason


def test_pathlike_value_is_accepted(sandbox: Path) -> None:
    s = _scanner(sandbox)
    assert s.check_call("read_file", {"path": sandbox / "workspace" / "docs"}).decision is ALLOW
    assert s.check_call("read_file", {"path": sandbox / "secrets"}).decision is BLOCK


# ---- differential property: whatever the policy allows, the kernel resolves to a file inside the root ----------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PARTS = ["..", ".", "", "docs", "a.txt", "key_link.pem", "link_out", "key.pem", "inner_link.txt", "workspace",
          "secrets", "workspace-evil", "docs_alias", "missing"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(_PARTS), min_size=1, max_size=7), absolute=st.booleans())
def test_allowed_paths_stay_inside_the_root_for_the_kernel(sandbox: Path, parts: list[str], absolute: bool) -> None:
    root = sandbox / "workspace"
    inside = {os.stat(root).st_ino}
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow symlinks
        for name in dirnames + filenames:
            st_ = os.lstat(os.path.join(dirpath, name))
            inside.add(st_.st_ino)
    value = "/".join(parts)
    if absolute:
        value = str(sandbox) + "/" + value
    result = _scanner(sandbox).check_call("read_file", {"path": value})
    target = os.path.join(root, value)  # what the tool would open (relative paths resolve against the root)
    if result.decision is ALLOW and os.path.exists(target):
        assert os.stat(target).st_ino in inside, (value, result.reason)
