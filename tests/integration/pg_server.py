"""Start a throwaway PostgreSQL server for the tests (the server binaries of Debian's ``postgresql`` package).

``start()`` returns a :class:`PgServer` with a ``url``; ``stop()`` shuts it down and deletes its files. When
running as root (CI), the server runs as the ``postgres`` system user that Debian's package creates, since
PostgreSQL refuses to run as root. :func:`unavailable` says why no server can start, or None.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _bindir() -> Path | None:
    for candidate in [shutil.which("initdb")] + sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate).resolve().parent
    return None


def unavailable() -> str | None:
    if _bindir() is None:
        return ("no PostgreSQL server binaries (initdb) found; install Debian's 'postgresql' package "
                "(scripts/setup.sh does so on CI) to run the PostgreSQL tests")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as (PostgreSQL refuses root)"
    return None


@dataclass
class PgServer:
    root: Path
    port: int
    bindir: Path
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql://lf@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> PgServer:
    bindir = _bindir()
    assert bindir is not None, unavailable()
    root = Path(tempfile.mkdtemp(prefix="lf-pg-"))
    user = "postgres" if os.geteuid() == 0 else None
    if user:
        entry = pwd.getpwnam(user)
        os.chmod(root, 0o755)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PgServer(root=root, port=_free_port(), bindir=bindir, user=user)
    data = root / "data"
    server._run("initdb", "-D", str(data), "-U", "lf", "--auth=trust", "--no-sync", "-E", "UTF8")
    options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    server._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
    return server
