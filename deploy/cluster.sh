#!/usr/bin/env bash
# The production layout on one machine, on loopback: PostgreSQL, redis-server, two Portal.Web nodes (Release,
# Production settings) and nginx in front of them (TLS with a self-signed certificate, cookie affinity, WebSockets),
# with a watcher that takes a node out of nginx's pool while its /health/ready fails. Installs what is missing with apt.
#
#   deploy/cluster.sh up            start everything, print the address (https://127.0.0.1:PORT)
#   deploy/cluster.sh down          stop everything and remove the cluster's folder
#   deploy/cluster.sh status        each part, and each node's readiness
#   deploy/cluster.sh stop-node a   SIGTERM node a (b) and wait for it; kill-node a: SIGKILL; start-node a: start it again
#   deploy/cluster.sh stop-redis | start-redis | restart-postgres
#
# CLUSTER_DIR (default /tmp/solidons-cluster) holds the build, the data, the logs and cluster.env, which names every
# port and process. CLUSTER_NO_BUILD=1 reuses the build already there. docs/deploy.md gives the same layout for a server.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CLUSTER_DIR:-/tmp/solidons-cluster}
env_file="$dir/cluster.env"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load() { [ -f "$env_file" ] && . "$env_file"; }
wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsk -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "no answer from $1 after $2 s" >&2; return 1; }
    sleep 0.3
  done
}

install_missing() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} with apt..."
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pg() { # tool args...: as the postgres user when root, since initdb refuses root
  local tool=$1; shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PG_BIN/$tool" "$@"; else "$PG_BIN/$tool" "$@"; fi
}

start_postgres() { pg pg_ctl -D "$dir/pg/data" -o "-p $PG_PORT -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=300" -l "$dir/pg/log" -w start >/dev/null; }

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server did not start" >&2; return 1
}

stop_pid() { # file signal
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
}

start_node() { # name port
  local name=$1 port=$2
  mkdir -p "$dir/mail"
  ASPNETCORE_ENVIRONMENT=Production \
  ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Database__Provider=Postgres \
  ConnectionStrings__Portal="Host=127.0.0.1;Port=$PG_PORT;Database=solidons;Username=portal;Maximum Pool Size=100" \
  Live__Redis="127.0.0.1:$REDIS_PORT" \
  HttpsRedirection__HttpsPort="$NGINX_PORT" \
  Email__PickupFolder="$dir/mail" \
  Telemetry__Node="$name" \
  Api__RequestsPerSecond="${CLUSTER_API_RATE:-100000}" \
  ASPNETCORE_CONTENTROOT="$dir/app" \
    setsid nohup dotnet "$dir/app/Portal.Web.dll" </dev/null >>"$dir/node-$name.log" 2>&1 &
  echo $! > "$dir/node-$name.pid"
  wait_for "http://127.0.0.1:$port/health/ready" 120
}

node_port() { if [ "$1" = a ]; then echo "$NODE_A_PORT"; else echo "$NODE_B_PORT"; fi; }

write_upstreams() { # down-flags for a and b ("" or " down")
  cat > "$dir/nginx/upstreams.conf" <<EOF
upstream portal {
    # Affinity without nginx Plus: the cookie nginx hands out on a first visit is hashed to pick the node, so a
    # visitor's pages, circuit and reconnections stay on one node while it is in the pool.
    hash \$affinity consistent;
    server 127.0.0.1:$NODE_A_PORT max_fails=1 fail_timeout=3s$1;
    server 127.0.0.1:$NODE_B_PORT max_fails=1 fail_timeout=3s$2;
    keepalive 64;
}
upstream portal_hubs {
    hash \$binary_remote_addr consistent;
    server 127.0.0.1:$NODE_A_PORT max_fails=1 fail_timeout=3s$1;
    server 127.0.0.1:$NODE_B_PORT max_fails=1 fail_timeout=3s$2;
}
EOF
}

start_nginx() {
  mkdir -p "$dir/nginx/tmp"
  chmod 1777 "$dir/nginx/tmp"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$dir/nginx/key.pem" -out "$dir/nginx/cert.pem" >/dev/null 2>&1
  write_upstreams "" ""
  cat > "$dir/nginx/proxy.conf" <<EOF
proxy_http_version 1.1;
proxy_set_header Upgrade \$http_upgrade;
proxy_set_header Connection \$connection_upgrade;
proxy_set_header Host \$http_host;
proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto \$scheme;
# Circuits and hub connections are long-lived WebSockets.
proxy_read_timeout 1h;
proxy_send_timeout 1h;
proxy_next_upstream error timeout http_502 http_503;
EOF
  cat > "$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path $dir/nginx/tmp/body;
    proxy_temp_path $dir/nginx/tmp/proxy;
    fastcgi_temp_path $dir/nginx/tmp/fastcgi;
    uwsgi_temp_path $dir/nginx/tmp/uwsgi;
    scgi_temp_path $dir/nginx/tmp/scgi;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    map \$cookie_solidons_node \$affinity { '' \$request_id; default \$cookie_solidons_node; }
    map \$cookie_solidons_node \$affinity_cookie { '' "solidons_node=\$request_id; Path=/; Secure; HttpOnly; SameSite=Lax"; default ''; }
    include $dir/nginx/upstreams.conf;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_certificate $dir/nginx/cert.pem;
        ssl_certificate_key $dir/nginx/key.pem;
        client_max_body_size 2m;
        # The metrics are for the machine's own scraper, never through the public address.
        location = /metrics { return 404; }
        # Hub clients (display screens, widgets on merchants' sites) may carry no cookie: their negotiation and
        # their WebSocket are two requests that must reach one node, so the hub is balanced by the client's address.
        location /hubs/ {
            proxy_pass http://portal_hubs;
            include $dir/nginx/proxy.conf;
        }
        location / {
            proxy_pass http://portal;
            include $dir/nginx/proxy.conf;
            add_header Set-Cookie \$affinity_cookie always;
        }
    }
}
EOF
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log"
  wait_for "https://127.0.0.1:$NGINX_PORT/health/live" 30
}

# nginx without Plus only notices a node that refuses connections. This loop reads each node's /health/ready every
# second and marks a node that is not ready "down" in the pool (a graceful reload), and back when it is ready again.
start_watcher() {
  setsid nohup bash -c '
    dir=$1; a=$2; b=$3; state=""
    while [ -f "$dir/nginx/nginx.pid" ]; do
      da=""; db=""
      curl -fs -m 1 -o /dev/null "http://127.0.0.1:$a/health/ready" || da=" down"
      curl -fs -m 1 -o /dev/null "http://127.0.0.1:$b/health/ready" || db=" down"
      # nginx refuses a pool whose every server is down: then keep them all, and let it try.
      [ -n "$da" ] && [ -n "$db" ] && { da=""; db=""; }
      if [ "$da|$db" != "$state" ]; then
        sed -i -E "s/(:$a max_fails=1 fail_timeout=3s)( down)?;/\1$da;/; s/(:$b max_fails=1 fail_timeout=3s)( down)?;/\1$db;/" "$dir/nginx/upstreams.conf"
        nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log" -s reload 2>/dev/null || true
        echo "$(date +%T) node a${da:- ready}, node b${db:- ready}" >> "$dir/watcher.log"
        state="$da|$db"
      fi
      sleep 1
    done' _ "$dir" "$NODE_A_PORT" "$NODE_B_PORT" </dev/null >/dev/null 2>&1 &
  echo $! > "$dir/watcher.pid"
}

up() {
  if [ -f "$env_file" ]; then echo "A cluster is already in $dir: deploy/cluster.sh down first." >&2; exit 1; fi
  install_missing
  mkdir -p "$dir"
  if [ "${CLUSTER_NO_BUILD:-}" != 1 ] || [ ! -f "$dir/app/Portal.Web.dll" ]; then
    echo "Building Portal.Web (Release)..."
    dotnet publish Portal.Web -c Release -o "$dir/app" --nologo -v q >/dev/null
  fi
  PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PG_PORT=$(free_port); REDIS_PORT=$(free_port); NODE_A_PORT=$(free_port); NODE_B_PORT=$(free_port); NGINX_PORT=$(free_port)
  cat > "$env_file" <<EOF
PG_BIN=$PG_BIN
PG_PORT=$PG_PORT
REDIS_PORT=$REDIS_PORT
NODE_A_PORT=$NODE_A_PORT
NODE_B_PORT=$NODE_B_PORT
NGINX_PORT=$NGINX_PORT
URL=https://127.0.0.1:$NGINX_PORT
EOF
  mkdir -p "$dir/pg"
  chmod 755 "$dir" "$dir/pg"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir/pg"
  pg initdb -D "$dir/pg/data" -A trust -U portal -E UTF8 --locale=C.UTF-8 >/dev/null
  start_postgres
  start_redis
  # The first node creates the database and the key ring; the second starts once it is ready, and reads both.
  start_node a "$NODE_A_PORT"
  start_node b "$NODE_B_PORT"
  start_nginx
  start_watcher
  echo "Solidons cluster up: https://127.0.0.1:$NGINX_PORT (self-signed certificate)"
  echo "  nodes http://127.0.0.1:$NODE_A_PORT and :$NODE_B_PORT, PostgreSQL :$PG_PORT, Redis :$REDIS_PORT; logs and cluster.env in $dir"
}

down() {
  load || { echo "No cluster in $dir."; return 0; }
  stop_pid "$dir/watcher.pid" TERM
  [ -f "$dir/nginx/nginx.pid" ] && nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log" -s quit 2>/dev/null || true
  for _ in $(seq 50); do [ -f "$dir/nginx/nginx.pid" ] || break; sleep 0.1; done
  stop_pid "$dir/node-a.pid" TERM
  stop_pid "$dir/node-b.pid" TERM
  stop_pid "$dir/redis.pid" TERM
  pg pg_ctl -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  echo "Solidons cluster down."
}

status() {
  load || { echo "No cluster in $dir."; return 1; }
  echo "address  $URL"
  for n in a b; do
    local state=stopped
    [ -f "$dir/node-$n.pid" ] && kill -0 "$(cat "$dir/node-$n.pid")" 2>/dev/null && state=$(curl -s -m 2 "http://127.0.0.1:$(node_port $n)/health/ready" || echo "not answering")
    echo "node $n   :$(node_port $n) $state"
  done
  echo "redis    :$REDIS_PORT $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || echo stopped)"
  echo "postgres :$PG_PORT $(pg pg_ctl -D "$dir/pg/data" status >/dev/null 2>&1 && echo running || echo stopped)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  stop-node) load; stop_pid "$dir/node-${2:?a or b}.pid" TERM ;;
  kill-node) load; stop_pid "$dir/node-${2:?a or b}.pid" KILL ;;
  start-node) load; start_node "${2:?a or b}" "$(node_port "$2")" ;;
  stop-redis) load; stop_pid "$dir/redis.pid" TERM ;;
  start-redis) load; start_redis ;;
  restart-postgres) load; pg pg_ctl -D "$dir/pg/data" -m fast -w stop >/dev/null; start_postgres ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
