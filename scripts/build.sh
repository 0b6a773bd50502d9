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

echo "== frozen start-up (window frame, then the database opened on a worker thread)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
QT_QPA_PLATFORM=offscreen BOEUN_DESK_QUIT_WHEN_READY=1 BOEUN_DESK_STARTUP_TRACE="$scratch/trace" \
  "$APP" --db "$scratch/start.sqlite3"
cut -d' ' -f1 "$scratch/trace" | tr '\n' ' '; echo
[ "$(cut -d' ' -f1 "$scratch/trace" | tr '\n' ' ')" = "window_shown database_open data_shown " ] \
  || { echo "frozen start-up did not reach the data"; exit 1; }

echo "== size of dist/boeun-desk"
du -sh dist/boeun-desk
echo "largest parts:"
du -a dist/boeun-desk | sort -rn | awk 'NR>1 && NR<=12 {printf "  %6.1f MB  %s\n", $1/1024, $2}'
