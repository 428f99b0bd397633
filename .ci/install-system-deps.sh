#!/usr/bin/env bash
# Installs the Debian packages the tests use against real servers and tools (each
# .ci/install-<topic>.sh is idempotent). Run as root, or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in .ci/install-*.sh; do
    [ "$script" = ".ci/install-system-deps.sh" ] && continue
    [ -f "$script" ] || continue
    echo "== $script"
    bash "$script"
done
