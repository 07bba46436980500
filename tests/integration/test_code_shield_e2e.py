"""CodeShieldScanner end to end with the real Semgrep binary: decisions, reasons, batching, failures, limits."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from lf_middleware.engine import LlamaFirewall
from lf_middleware.scanners.code_shield import CodeShieldScanner
from lf_middleware.scanners.code_shield.runner import find_semgrep_core
from lf_middleware.types import AssistantMessage, Role, ScanDecision, ScanStatus

pytestmark = pytest.mark.semgrep

if find_semgrep_core() is None:  # pragma: no cover - the dev environment has the semgrep wheel
    pytest.skip("the semgrep wheel (semgrep-core) is not installed: pip install lf-middleware[codeshield]",
                allow_module_level=True)

SQL_CONCAT = """I added the lookup you asked for:

```python
def find_user(cursor, user_id):
    cursor.execute("SELECT * FROM users WHERE id = " + user_id)
    return cursor.fetchone()
```
"""
SQL_PARAM = """Here is the corrected version:

```python
def find_user(cursor, user_id):
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    return cursor.fetchone()
```
"""


@pytest.fixture(scope="module")
def scanner() -> CodeShieldScanner:
    return CodeShieldScanner()


def _script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-semgrep-core"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_sql_concatenation_is_blocked_with_a_reason_an_agent_can_act_on(scanner: CodeShieldScanner) -> None:
    result = scanner.scan_sync(AssistantMessage(SQL_CONCAT))
    assert result.status is ScanStatus.SUCCESS
    assert result.decision is ScanDecision.BLOCK
    assert "py-sql-built-from-strings" in result.reason and "CWE-89" in result.reason
    assert "python" in result.reason and "message line 5" in result.reason
    assert "parameterised query" in result.reason and "(user_id,)" in result.reason
    assert 'SELECT * FROM users WHERE id = " + user_id' not in result.reason  # no scanned text copied
    (finding,) = [f for f in result.details["findings"] if f["cwe"] == "CWE-89" and f["severity"] == "error"]
    assert finding["line"] == 5 and finding["language"] == "python"


def test_the_parameterised_rewrite_is_allowed(scanner: CodeShieldScanner) -> None:
    result = scanner.scan_sync(AssistantMessage(SQL_PARAM))
    assert result.status is ScanStatus.SUCCESS
    assert result.decision is ScanDecision.ALLOW
    assert result.details["findings"] == [] and result.details["semgrep_blocks"] == 1


async def test_async_twin_agrees(scanner: CodeShieldScanner) -> None:
    bad, good = await scanner.scan_batch([AssistantMessage(SQL_CONCAT), AssistantMessage(SQL_PARAM)])
    assert bad.decision is ScanDecision.BLOCK and good.decision is ScanDecision.ALLOW


async def test_a_batch_uses_one_semgrep_invocation_with_only_the_needed_rules(monkeypatch) -> None:
    scanner = CodeShieldScanner()
    calls: list[list[str]] = []
    real = scanner.runner.run_async

    async def counting(targets, configs):
        calls.append(sorted(Path(c).stem for c in configs))
        return await real(targets, configs)

    monkeypatch.setattr(scanner.runner, "run_async", counting)
    messages = [
        AssistantMessage(SQL_CONCAT),
        AssistantMessage("```java\nclass A { void f(java.sql.Statement s, String id) throws Exception {"
                         " s.executeQuery(\"SELECT * FROM t WHERE id = \" + id); } }\n```"),
        AssistantMessage("The weather is nice today."),
        AssistantMessage("```js\ndocument.getElementById('out').innerHTML = userInput;\n```"),
    ]
    results = await scanner.scan_batch(messages)
    assert len(calls) == 1
    assert calls[0] == ["java", "javascript", "python"]  # no C rules: no C code
    assert [r.decision for r in results] == [
        ScanDecision.BLOCK, ScanDecision.BLOCK, ScanDecision.ALLOW, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED,
    ]
    assert results[2].reason == "no code found"


def test_prose_and_regex_only_languages_never_start_semgrep(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    scanner = CodeShieldScanner(semgrep_binary=_script(tmp_path, f"touch {marker}; exit 1"))
    prose = scanner.scan_sync(AssistantMessage("Paris is the capital of France; it has about 2 million people."))
    php = scanner.scan_sync(AssistantMessage("```php\n<?php\n$q = \"SELECT * FROM t WHERE id = $id\";\n```"))
    assert prose.status is ScanStatus.SUCCESS and prose.decision is ScanDecision.ALLOW
    assert php.status is ScanStatus.SUCCESS and php.decision is ScanDecision.BLOCK
    assert not marker.exists()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("exit 2", "no output"),  # crash without output
        ("echo 'this is not json'; exit 0", "unparsable"),
        ("kill -SEGV $$", "signal"),
        ('echo \'{"results": [], "errors": [{"type": "Rule parse error", "level": "error", "message": "bad"}]}\'', "rule parse error"),
    ],
)
def test_semgrep_failures_are_errors_never_allow(tmp_path: Path, body: str, words: str) -> None:
    scanner = CodeShieldScanner(semgrep_binary=_script(tmp_path, body))
    result = scanner.scan_sync(AssistantMessage(SQL_PARAM))
    assert result.status is ScanStatus.ERROR
    assert result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED  # even before the policy sees it
    assert words in result.reason.lower()
    firewall = LlamaFirewall(scanners={Role.ASSISTANT: [scanner]})
    assert firewall.scan(AssistantMessage(SQL_PARAM)).decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED


def test_missing_binary_is_an_error_naming_the_fix() -> None:
    result = CodeShieldScanner(semgrep_binary="/nonexistent/semgrep-core").scan_sync(AssistantMessage(SQL_PARAM))
    assert result.status is ScanStatus.ERROR
    assert "lf-middleware[codeshield]" in result.reason


def test_regex_block_survives_a_semgrep_failure() -> None:
    code = "```python\nimport pickle\ndef load(blob):\n    return pickle.loads(blob)\n```"
    result = CodeShieldScanner(semgrep_binary="/nonexistent/semgrep-core").scan_sync(AssistantMessage(code))
    assert result.decision is ScanDecision.BLOCK and result.status is ScanStatus.SUCCESS
    assert "Semgrep failed" in result.reason and "CWE-502" in result.reason


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_timeout_kills_semgrep(tmp_path: Path, mode: str) -> None:
    pidfile = tmp_path / "pid"
    scanner = CodeShieldScanner(semgrep_binary=_script(tmp_path, f"echo $$ > {pidfile}; exec sleep 30"), timeout_s=0.5)
    if mode == "sync":
        result = scanner.scan_sync(AssistantMessage(SQL_PARAM))
    else:
        result = await scanner.scan(AssistantMessage(SQL_PARAM))
    assert result.status is ScanStatus.ERROR and "did not finish within 0.5 s" in result.reason
    pid = int(pidfile.read_text())
    time.sleep(0.1)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_diff_judges_added_lines_only_and_maps_lines_to_the_new_file(scanner: CodeShieldScanner) -> None:
    diff = """Apply this patch:

```diff
--- a/app/db.py
+++ b/app/db.py
@@ -10,6 +10,7 @@ import os
 def remove(cursor, name):
-    cursor.execute("DELETE FROM t WHERE name = %s", (name,))
+    os.system("rm -rf /tmp/" + name)
+    cursor.execute("DELETE FROM t WHERE name = '" + name + "'")
     return True
```
"""
    result = scanner.scan_sync(AssistantMessage(diff))
    assert result.decision is ScanDecision.BLOCK
    lines = {(f["location"], f["line"], f["cwe"]) for f in result.details["findings"]}
    assert ("app/db.py", 11, "CWE-78") in lines and ("app/db.py", 12, "CWE-89") in lines
    assert "app/db.py line 12" in result.reason

    context_only = diff.replace('+    os.system("rm -rf /tmp/" + name)\n', "").replace(
        "+    cursor.execute(\"DELETE FROM t WHERE name = '\" + name + \"'\")", '+    log(name)'
    ).replace(" def remove(cursor, name):", ' def remove(cursor, name):\n     os.system("rm " + name)')
    assert scanner.scan_sync(AssistantMessage(context_only)).decision is ScanDecision.ALLOW


def test_nosemgrep_comments_do_not_switch_rules_off(scanner: CodeShieldScanner) -> None:
    text = SQL_CONCAT.replace("+ user_id)", "+ user_id)  # nosemgrep")
    assert scanner.scan_sync(AssistantMessage(text)).decision is ScanDecision.BLOCK


def test_severity_decisions_are_configurable() -> None:
    scanner = CodeShieldScanner(severity_decisions={"error": "human_in_the_loop_required"})
    assert scanner.scan_sync(AssistantMessage(SQL_CONCAT)).decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED


def test_ten_megabytes_of_code_is_bounded_and_not_called_clean() -> None:
    scanner = CodeShieldScanner(max_semgrep_bytes=200_000, max_regex_chars=500_000)
    body = "def f(x):\n    return x + 1\n" * 400_000  # ~10 MB of harmless code
    result = scanner.scan_sync(AssistantMessage("```python\n" + body + "```"))
    assert result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED and result.status is ScanStatus.SUCCESS
    assert "Not fully analysed" in result.reason and "max_semgrep_bytes" in result.reason


def test_binary_and_malformed_text_do_not_crash(scanner: CodeShieldScanner) -> None:
    binary = scanner.scan_sync(AssistantMessage("```\n" + "\x00\x01\x02garbage\x7f" * 2000 + "\n```"))
    assert binary.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED and "binary" in binary.reason
    surrogate = scanner.scan_sync(AssistantMessage("```python\nname = '\ud800'\nos.system('ls ' + name)\n```"))
    assert surrogate.status is ScanStatus.SUCCESS and surrogate.decision is ScanDecision.BLOCK


async def test_engine_twins_and_batch() -> None:
    firewall = LlamaFirewall(scanners={Role.ASSISTANT: ["code_shield"]})
    assert firewall.scan(AssistantMessage(SQL_CONCAT)).decision is ScanDecision.BLOCK
    assert (await firewall.scan_async(AssistantMessage(SQL_CONCAT))).decision is ScanDecision.BLOCK
    batch = firewall.scan_batch([AssistantMessage(SQL_CONCAT), AssistantMessage(SQL_PARAM)])
    assert [r.decision for r in batch] == [ScanDecision.BLOCK, ScanDecision.ALLOW]


def test_code_in_tool_call_arguments_is_scanned(scanner: CodeShieldScanner) -> None:
    call = {"name": "write_file", "args": {"path": "src/run.js",
                                           "content": "const cp = require('child_process');\ncp.exec('tar ' + name);\n"}}
    result = scanner.scan_sync(AssistantMessage("Writing the file now.", tool_calls=[call]))
    assert result.decision is ScanDecision.BLOCK
    assert any(f["where"] == "src/run.js line 2" for f in result.details["findings"])


def test_a_target_semgrep_silently_skips_is_not_called_clean(tmp_path: Path) -> None:
    # the failure mode of codeshield 1.0.1 (--project-root /): Semgrep exits cleanly having scanned nothing
    empty = '{"results": [], "errors": [], "paths": {"scanned": []}}'
    scanner = CodeShieldScanner(semgrep_binary=_script(tmp_path, f"echo '{empty}'"))
    result = scanner.scan_sync(AssistantMessage(SQL_PARAM))
    assert result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert "Semgrep did not finish or skipped it" in result.reason


SECURE_IDIOMS = {
    "python": """import hashlib, secrets, subprocess
def handler(cursor, user_id, path):
    cursor.execute("SELECT name FROM users WHERE id = %s", (user_id,))
    subprocess.run(["convert", path, "out.png"], check=True, timeout=30)
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(path.encode()).hexdigest()
    return token, digest
""",
    "javascript": """const { execFile } = require("child_process");
const crypto = require("crypto");
async function handler(db, el, id, name) {
  const rows = await db.query("SELECT name FROM users WHERE id = ?", [id]);
  el.textContent = rows[0].name;
  execFile("convert", [name, "out.png"], () => {});
  return crypto.randomUUID();
}
""",
    "java": """import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.*;
class Repo {
    String find(Connection conn, String id) throws Exception {
        PreparedStatement ps = conn.prepareStatement("SELECT name FROM users WHERE id = ?");
        ps.setString(1, id);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return new String(md.digest(salt));
    }
}
""",
    "csharp": """using System.Data.SqlClient;
using System.Security.Cryptography;
public class Repo {
    public object Find(SqlConnection conn, string id) {
        var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT Name FROM Users WHERE Id = @id";
        cmd.Parameters.AddWithValue("@id", id);
        var key = RandomNumberGenerator.GetBytes(32);
        return cmd.ExecuteScalar();
    }
}
""",
    "php": """<?php
function find($pdo, $email, $password) {
    $stmt = $pdo->prepare('SELECT id FROM users WHERE email = ?');
    $stmt->execute([$email]);
    $hash = password_hash($password, PASSWORD_DEFAULT);
    $token = bin2hex(random_bytes(16));
    echo htmlspecialchars($email, ENT_QUOTES, 'UTF-8');
    return [$hash, $token];
}
""",
    "rust": """use std::process::Command;
fn run(conn: &rusqlite::Connection, id: &str) -> rusqlite::Result<usize> {
    let out = Command::new("ls").arg(id).output();
    conn.execute("DELETE FROM users WHERE id = ?1", [id])
}
""",
    "c": """#include <stdio.h>
#include <string.h>
void greet(const char *name) {
    char buf[64];
    snprintf(buf, sizeof buf, "hello %s", name);
    printf("%s\\n", buf);
    if (fgets(buf, sizeof buf, stdin) != NULL) puts(buf);
}
""",
}


@pytest.mark.parametrize("language", sorted(SECURE_IDIOMS))
def test_secure_idioms_are_allowed(scanner: CodeShieldScanner, language: str) -> None:
    result = scanner.scan_sync(AssistantMessage(f"```{language}\n{SECURE_IDIOMS[language]}```"))
    assert result.status is ScanStatus.SUCCESS
    assert result.decision is ScanDecision.ALLOW, result.reason
