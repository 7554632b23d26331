#!/usr/bin/env bash
# Installs the Debian packages of the real programs the interop tests run against.
# Idempotent: packages already installed are left alone, and apt-get runs only when
# something is missing. Needs root (or sudo) to install.
set -euo pipefail

# program-or-marker:package, one per peer. Later issues add theirs here.
PEERS=(
  "nc:netcat-openbsd"
  "socat:socat"
  "getent:libc-bin"
  "python3:python3"
  "unshare:util-linux"
  "ip:iproute2"
  "rdate:rdate"
  "chronyd:chrony"
  "redis-server:redis-server"
  "chromium:chromium"
  "tmux:tmux"
  "dig:bind9-dnsutils"
  "kdig:knot-dnsutils"
  "drill:ldnsutils"
  "nsd:nsd"
  "knotd:knot"
  "named:bind9"
  "kzonecheck:knot-dnssecutils"
  "python3-dnspython:python3-dnspython"
)

missing=()
for entry in "${PEERS[@]}"; do
  package="${entry#*:}"
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: all peer packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-peers: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The peers are for tests, which start their own instances on loopback ports: keep the
# packages' own services (chronyd, say) from being started as daemons by the install.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  added_policy=yes
fi
trap 'if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi' EXIT
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
