#!/usr/bin/env bash
# Create .venv (if missing) and install lf-middleware with every extra and the test tools.
# CPU torch is installed first: with no torch present, another package's requirement would pull a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -c "import torch" 2>/dev/null || python -m pip install -q torch==2.13.0
python -m pip install -q -e '.[dev]'
# PostgreSQL server binaries for the PostgreSQL tests (Debian's package); only when missing and when we may install
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null) \
      || echo "setup.sh: could not install postgresql; the PostgreSQL tests will be skipped" >&2
  fi
fi
