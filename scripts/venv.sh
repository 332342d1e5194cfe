#!/usr/bin/env bash
# Create/refresh .venv and install pinned requirements.
#   scripts/venv.sh        runtime deps (requirements.txt)
#   scripts/venv.sh dev    runtime + test/lint deps (requirements-dev.txt)
# A stamp file inside .venv holds the sha256 of the requirement files last installed; when it
# matches, nothing is installed, so repeated runs take well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:-prod}"
case "$kind" in
  prod) reqs=(requirements.txt) ;;
  dev) reqs=(requirements.txt requirements-dev.txt) ;;
  *) echo "usage: $0 [prod|dev]" >&2; exit 2 ;;
esac

VENV="${VENV:-.venv}"
stamp="$VENV/.xinfang-stamp-$kind"
want="$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)"

if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
   && [[ -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

find_python() {
  local c
  for c in "${PYTHON:-}" python3.11 python3; do
    [[ -n "$c" ]] || continue
    if command -v "$c" >/dev/null 2>&1 \
       && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "error: need Python >= 3.11 (python3.11 or python3)" >&2
  return 1
}

# A venv whose interpreter is gone or too old is rebuilt.
if [[ -d "$VENV" ]] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "venv: $VENV is broken or too old; recreating"
  rm -rf "$VENV"
fi

if [[ ! -d "$VENV" ]]; then
  py="$(find_python)"
  echo "venv: creating $VENV with $py"
  if ! "$py" -m venv "$VENV" 2>/dev/null; then
    # Debian ships ensurepip separately (python3.X-venv).
    rm -rf "$VENV"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
      echo "venv: installing python$ver-venv via apt"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "python$ver-venv" >/dev/null || apt-get install -y -qq python3-venv >/dev/null
      "$py" -m venv "$VENV"
    else
      echo "error: '$py -m venv' failed; install the python3-venv package" >&2
      exit 1
    fi
  fi
fi

echo "venv: installing ${reqs[-1]} into $VENV"
start=$SECONDS
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "${reqs[-1]}"
echo "venv: pip install took $((SECONDS - start))s"
echo "$want" > "$stamp"
if [[ "$kind" == dev ]]; then
  # requirements-dev.txt includes requirements.txt, so the runtime set is current too.
  cat requirements.txt | sha256sum | cut -d' ' -f1 > "$VENV/.xinfang-stamp-prod"
fi
