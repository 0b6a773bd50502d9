#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and prove it with the frozen self-test.
# Usage: scripts/build.sh   (expects .venv with the dev extra: pip install -e ".[dev]")
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

rm -rf build/pyinstaller dist/boeun-desk
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist build.spec

APP=dist/boeun-desk/boeun-desk
echo "== frozen self-test"
QT_QPA_PLATFORM=offscreen "$APP" --self-test

echo "== size of dist/boeun-desk"
du -sh dist/boeun-desk
echo "largest parts:"
du -a dist/boeun-desk | sort -rn | awk 'NR>1 && NR<=12 {printf "  %6.1f MB  %s\n", $1/1024, $2}'
