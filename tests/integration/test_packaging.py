"""The wheel ships every module and data file, under lf_middleware only, built without warnings."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: package data patterns from pyproject.toml ([tool.setuptools.package-data] "*")
DATA = ("*.yaml", "*.yml", "*.json", "*.safetensors", "*.txt", "*.md", "py.typed")


def _expected() -> set[str]:
    out: set[str] = set()
    for src, dest in ((ROOT / "lf_middleware", "lf_middleware"), (ROOT / "adapters", "lf_middleware/adapters")):
        for path in src.rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix == ".py" or any(path.match(p) for p in DATA):
                out.add(f"{dest}/{path.relative_to(src).as_posix()}")
    return out


@pytest.mark.slow
def test_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = proc.stdout + proc.stderr
    assert "Warning" not in log and "warning:" not in log.lower(), log[-3000:]
    wheel = next(tmp_path.glob("lf_middleware-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _expected() - names
    assert not missing, sorted(missing)
    assert {n.split("/")[0] for n in names} == {"lf_middleware", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in meta and any(n.endswith("licenses/LICENSE") for n in names)
