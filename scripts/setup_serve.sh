#!/usr/bin/env bash
# Create .venv-serve (if missing) with the Ray Serve extra and the test tools.
# Ray Serve gets its own environment: ray[serve] requires a newer OpenTelemetry than semgrep (the codeshield
# extra in .venv) accepts, so the two cannot share one. CPU torch first, as in setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv-serve/bin/python ]; then
  "$PY" -m venv .venv-serve
fi
.venv-serve/bin/python -m pip install -q --upgrade pip
.venv-serve/bin/python -c "import torch" 2>/dev/null || .venv-serve/bin/python -m pip install -q torch==2.13.0
.venv-serve/bin/python -m pip install -q -e '.[serve]' pytest pytest-asyncio pytest-socket
