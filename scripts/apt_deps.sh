#!/usr/bin/env bash
# Install Debian packages the tests need, only those missing; `apt-get update` runs at most once.
#   scripts/apt_deps.sh [PKG...]   (default: postgresql chromium fonts-noto-cjk gettext)
set -euo pipefail

pkgs=("$@")
[[ ${#pkgs[@]} -gt 0 ]] || pkgs=(postgresql chromium fonts-noto-cjk gettext)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${pkgs[@]}"; do
  installed "$p" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "error: missing packages (${missing[*]}) and no apt-get" >&2
  exit 1
fi
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi

echo "apt: installing ${missing[*]}"
start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "apt: took $((SECONDS - start))s"
