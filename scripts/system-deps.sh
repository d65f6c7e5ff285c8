#!/usr/bin/env bash
# Installs (as root) or names (otherwise) the Debian packages settop and its tests need.
# Usage: scripts/system-deps.sh run|test   -- "run" needs the player and Qt; "test" adds ffmpeg, Xvfb and tools.
set -euo pipefail
mode="${1:-run}"
run_pkgs=(
  libvlc5 vlc-plugin-base libvlc-bin vlc-plugin-video-output
  libgl1 libegl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core fonts-noto-core libdbus-1-3 libglib2.0-0
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
  python3-venv ffmpeg
)
test_pkgs=(xvfb xauth x11-utils imagemagick xdotool xcompmgr xinit x11-xserver-utils openssl openbox)
pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "settop needs these Debian packages; install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
