#!/usr/bin/env bash
# Installs the real daemons the integration tests run (Debian 12 packages). Idempotent.
set -euo pipefail
PKGS=(haproxy keepalived etcd-server etcd-client prometheus cloud-init openssl iproute2 curl)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  # Never start the packaged services: the tests start their own instances on loopback.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
# Stop any packaged instance that a postinst may have started anyway.
pkill -x haproxy 2>/dev/null || true
pkill -x keepalived 2>/dev/null || true
pkill -x etcd 2>/dev/null || true
pkill -x prometheus 2>/dev/null || true
echo "integration dependencies ready: ${PKGS[*]}"
