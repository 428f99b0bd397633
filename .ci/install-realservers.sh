#!/usr/bin/env bash
# System packages of the real-server suite (tests/real-servers/): PostgreSQL and Redis servers,
# openssl for the throwaway CA, and the Python drivers the FastAPI seeds use, from Debian.
# Idempotent and non-interactive; the tests start their own servers, so the packaged services
# are never started here.
set -euo pipefail

PACKAGES=(postgresql redis-server openssl python3 python3-asyncpg python3-sqlalchemy python3-psycopg2 python3-psycopg python3-redis)

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-realservers: all packages present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# policy-rc.d 101: do not start the packaged postgresql/redis services on install (containers have no init).
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
