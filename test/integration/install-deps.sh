#!/usr/bin/env bash
# Installs the real daemons the integration tests run (Debian 12 packages). Idempotent.
set -euo pipefail
PKGS=(haproxy keepalived etcd-server etcd-client prometheus cloud-init openssl iproute2 curl)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  # Never start the packaged services: the tests start their own instances on loopback. With
  # policy-rc.d answering 101 the maintainer scripts start nothing, so there is nothing of ours to
  # stop afterwards, and daemons that already ran on this host are left alone. A policy the host
  # already has is kept.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "integration dependencies ready: ${PKGS[*]}"
