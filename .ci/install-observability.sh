#!/usr/bin/env bash
# promtool (Debian's `prometheus` package) for the rule checks in tests/observability-rules.test.ts:
# `promtool check rules` on every generated PrometheusRule group and `promtool test rules` on the
# alert thresholds. Idempotent and non-interactive; run as root (CI) or through sudo.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
    promtool --version | head -1
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Only the binaries: the package's recommended exporters and web assets are not needed.
$SUDO apt-get install -y -qq --no-install-recommends prometheus
promtool --version | head -1
