#!/bin/sh
# deps.sh install|ensure - the Debian packages PipCanary builds and runs with.
# ensure: install what is missing when root, otherwise print the apt-get line
# and fail. install: always run apt-get (as root).
set -eu
PKGS="gcc make pkg-config libcurl4-openssl-dev libjansson-dev libcmocka-dev
bubblewrap strace python3 python3-venv python3-pip-whl python3-setuptools-whl
python3-wheel-whl cppcheck"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
mode=${1:-ensure}
if [ "$mode" = ensure ] && [ -z "$missing" ]; then
	exit 0
fi
[ "$mode" = install ] && [ -z "$missing" ] && { echo "deps: all installed"; exit 0; }
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
