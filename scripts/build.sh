#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and prove it with the frozen self-test.
# Usage: scripts/build.sh   (expects .venv with the dev extra: pip install -e ".[dev]")
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

rm -rf build/pyinstaller dist/boeun-desk
# PyInstaller's cache of processed (stripped) binaries: one per checkout, so two builds at once on
# one machine never share (and corrupt) the user-wide cache in ~/.cache/pyinstaller.
export PYINSTALLER_CONFIG_DIR="$PWD/build/pyinstaller-cache"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist build.spec

APP=dist/boeun-desk/boeun-desk
echo "== frozen self-test"
QT_QPA_PLATFORM=offscreen "$APP" --self-test

echo "== frozen start-up (window frame, then the database opened on a worker thread), twice"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
start_up() {  # $1: the milestones expected, in order
  rm -f "$scratch/trace"
  QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$scratch/config" BOEUN_DESK_QUIT_WHEN_READY=1 \
    BOEUN_DESK_STARTUP_TRACE="$scratch/trace" \
    "$APP" --db "$scratch/start.sqlite3"
  seen=$(cut -d' ' -f1 "$scratch/trace" | tr '\n' ' ')
  echo "  $seen"
  [ "$seen" = "$1" ] || { echo "frozen start-up: expected $1"; exit 1; }
}
start_up "window_shown database_open data_shown ready "   # a new file: data once it is open
start_up "window_shown data_shown database_open ready "   # after a clean close: the start page first

# What the folder leaves out is in build.spec (scripts/slim_build.py, scripts/icu_trim.py); README, "Packaged app".
total=$(du -sm dist/boeun-desk | cut -f1)
echo "== dist/boeun-desk: ${total} MB in $(find dist/boeun-desk -type f | wc -l) files; largest files:"
find dist/boeun-desk -type f -printf '%s %P\n' | sort -rn | awk 'NR <= 10 {printf "  %6.1f MB  %s\n", $1/1048576, $2}'  # awk reads it all: no SIGPIPE under pipefail
if [ "$total" -gt 200 ]; then echo "warning: the folder is over its 200 MB budget (issue #18)"; fi
