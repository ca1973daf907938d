#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL 15 for the test suites, and prints its URL.
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'matchloop'\"" >&2
echo "postgres://postgres:matchloop@127.0.0.1:5432/postgres"
