#!/usr/bin/env bash
# Installs (from Debian packages) and starts the services the full test suite uses: PostgreSQL and
# Redis on loopback, plus Chromium, libatomic1 (Playwright's Node.js driver) and CJK fonts for the
# browser tests and PgBouncer (started by the pooling test itself). No systemd needed.
# Idempotent: services already answering are left alone. Prints the variables to export.
#   eval "$(bash .ci/services.sh)"
set -euo pipefail

STATE=${SERVICES_DIR:-/tmp/liaison-services}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
mkdir -p "$STATE"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/*/libatomic.so.1 >/dev/null 2>&1 || need+=(libatomic1)
[ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || need+=(fonts-noto-core)
command -v msgfmt >/dev/null || need+=(gettext)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need[@]}" fonts-noto-core >&2
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA="$STATE/pgdata"
if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA" && chown -R postgres:postgres "$STATE"
    su postgres -c "$PGBIN/initdb -D '$PGDATA' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >&2
  fi
  chown -R postgres:postgres "$STATE"
  # Tuned for disposable test data: durability off, speed on.
  su postgres -c "$PGBIN/pg_ctl -D '$PGDATA' -l '$STATE/postgres.log' -w start \
    -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200'" >&2
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='liaison'" \
  | grep -q 1 || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc \
  "CREATE ROLE liaison LOGIN SUPERUSER PASSWORD 'liaison'" >&2
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='liaison'" \
  | grep -q 1 || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc \
  "CREATE DATABASE liaison OWNER liaison" >&2

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --dir "$STATE" --logfile "$STATE/redis.log" >&2
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "export DATABASE_URL=postgres://liaison:liaison@127.0.0.1:$PGPORT/liaison"
echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
