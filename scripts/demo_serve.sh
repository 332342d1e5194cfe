#!/usr/bin/env bash
# The demo's processes: the background worker (outbox, due-state inbox, closing job) and the
# development server on 127.0.0.1:8000. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" manage.py run_worker --interval 5 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "worker: started (pid $worker); messages to petitioners go to ${XINFANG_VAR_DIR:-var}/outbox.jsonl"
"$PY" manage.py runserver 127.0.0.1:8000
