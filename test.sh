#!/usr/bin/env bash
# Runs every test of the Solidons portal. On a fresh Debian/Ubuntu machine it first installs, with apt, what the
# tests need and the machine lacks: Chromium (browser tests), redis-server (scale-out tests, which start their own
# on a free loopback port and stop it after), PostgreSQL (a throw-away cluster on a free loopback port, started
# here, stopped and removed at the end) and nginx (the cluster tests' deploy/cluster.sh). Extra arguments go to `dotnet test` (e.g. --filter Domain).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x "${PORTAL_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The cluster tests (Portal.Tests/Cluster) run deploy/cluster.sh: nginx in front of two nodes, over TLS.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
fi

log=$(mktemp)
pg=$(mktemp -d /tmp/solidons-pg-XXXXXX)
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses root: the cluster belongs to the postgres system user.
  chmod 755 "$pg"; chown postgres:postgres "$pg"; as_postgres=(runuser -u postgres --)
fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pg" "$log"
}
trap cleanup EXIT
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg/data" -A trust -U portal -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -o "-p $pg_port -k $pg -c listen_addresses=127.0.0.1 -c max_connections=400" -l "$pg/log" -w start >/dev/null
export PORTAL_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=portal"
# PORTAL_ENGINES picks the engines (default "Sqlite Postgres"): every test runs on SQLite, then the data, HTTP and
# live tests run again with the portal on PostgreSQL (PORTAL_ENGINE=Postgres), but for those that test SQLite itself.
engines=${PORTAL_ENGINES:-Sqlite Postgres}
filter=""
args=("$@")
if [ "${1:-}" = "--filter" ] && [ $# -ge 2 ]; then filter=$2; args=("${@:3}"); fi
status=0
total_passed=0
total_failed=0
for engine in $engines; do
  case "$engine" in
    Sqlite) engine_filter="$filter" ;;
    Postgres)
      engine_filter="(FullyQualifiedName~Portal.Tests.Data|FullyQualifiedName~Portal.Tests.Http|FullyQualifiedName~Portal.Tests.Live)&Engine!=Sqlite"
      [ -n "$filter" ] && engine_filter="($filter)&$engine_filter" ;;
    *) echo "PORTAL_ENGINES: unknown engine '$engine' (Sqlite, Postgres)"; exit 2 ;;
  esac
  echo "== tests on $engine =="
  set +e
  PORTAL_ENGINE=$engine dotnet test Portal.sln ${engine_filter:+--filter "$engine_filter"} "${args[@]}" 2>&1 | tee "$log"
  run=${PIPESTATUS[0]}
  set -e
  [ "$run" -ne 0 ] && status=$run
  # One plain closing line, whatever the runner printed.
  summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -n 1 || true)
  if [ -n "$summary" ]; then
    passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
    failed=$(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$summary")
    echo "$engine: $passed passed, $failed failed"
    total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
  fi
done
echo "$total_passed passed, $total_failed failed"
exit "$status"
