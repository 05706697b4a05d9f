#!/usr/bin/env bash
# Runs every test of the Solidons portal. On a fresh Debian/Ubuntu machine it first installs, with apt, what the
# tests need and the machine lacks: Chromium (browser tests) and redis-server (scale-out tests, which start their own
# on a free loopback port and stop it after). Extra arguments go to `dotnet test` (e.g. --filter Domain).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x "${PORTAL_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Portal.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, whatever the runner printed.
summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$summary")
  echo "$passed passed, $failed failed"
fi
exit "$status"
