#!/usr/bin/env bash
# Installs the Debian packages named on the command line whose command is not on
# the PATH yet, so tests and docs can rely on outside tools without a setup page:
#
#   scripts/ensure-tools.sh tshark            # for PcapWriterTest
#   scripts/ensure-tools.sh chromium          # to render ladder diagrams to PNG
#
#   scripts/ensure-tools.sh iproute2          # ip, ss, nstat for the kernel-peer tests and serve/connect
#   scripts/ensure-tools.sh iputils-ping      # ping (both families) for the kernel-peer ICMP tests
#
# Each argument is a Debian package whose main command has the same name, except
# where command_of says otherwise (iproute2 provides ip, iputils-ping provides ping).
# Exit codes: 0 all present (or installed), 2 usage, 3 something is missing and we
# are not root (so cannot install), anything else: apt-get failed.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi

# The command that shows a package is installed, when its name differs from the package's.
command_of() {
    case "$1" in
        iproute2) echo ip ;;
        iputils-ping) echo ping ;;
        *) echo "$1" ;;
    esac
}

missing=()
for pkg in "$@"; do
    if [[ ! "$pkg" =~ ^[a-z0-9][a-z0-9.+-]*$ ]]; then
        echo "ensure-tools: not a Debian package name: $pkg" >&2
        exit 2
    fi
    command -v "$(command_of "$pkg")" >/dev/null 2>&1 || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "ensure-tools: ${missing[*]} not installed and not root; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 3
fi

export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer "no" up front
# so the install never waits for a terminal (capturing is not what we need it for).
if [[ " ${missing[*]} " == *" tshark "* ]] && command -v debconf-set-selections >/dev/null 2>&1; then
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
fi
echo "ensure-tools: installing ${missing[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null

for pkg in "${missing[@]}"; do
    if ! command -v "$(command_of "$pkg")" >/dev/null 2>&1; then
        echo "ensure-tools: installed $pkg but no command '$(command_of "$pkg")' on the PATH" >&2
        exit 1
    fi
done
