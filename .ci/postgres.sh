#!/usr/bin/env bash
# Starts a local PostgreSQL for the storage tests and prints the connection string to use:
#   eval "$(bash .ci/postgres.sh)"   # sets GATEHOUSE_TEST_POSTGRES
# Idempotent: installs the Debian package only when missing, reuses a running cluster and an
# existing role and database. Runs as root (CI and the dev machines); talks to the cluster as
# the postgres user through runuser. Progress goes to stderr, only the export line to stdout.
set -euo pipefail

PASSWORD="${GATEHOUSE_PG_PASSWORD:-gatehouse-test}"
DATABASE="gatehouse_test"

log() { echo "postgres.sh: $*" >&2; }

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$VERSION main"; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >&2
fi

PORT="$(pg_lsclusters --no-header | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')"
if ! pg_lsclusters --no-header | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  log "starting cluster $VERSION/main on port $PORT"
  pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "PostgreSQL did not become ready on 127.0.0.1:$PORT"; exit 1; }

psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

# CREATEDB: the tests create a fresh database per test class and drop it afterwards.
psql_admin -v pw="$PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE gatehouse LOGIN CREATEDB PASSWORD %L', :'pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse') \gexec
SELECT format('ALTER ROLE gatehouse LOGIN CREATEDB PASSWORD %L', :'pw') \gexec
SQL
psql_admin -v db="$DATABASE" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER gatehouse', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

log "ready on 127.0.0.1:$PORT"
echo "export GATEHOUSE_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=gatehouse;Password=$PASSWORD;Database=$DATABASE'"
