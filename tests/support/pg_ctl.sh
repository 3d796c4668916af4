#!/bin/sh
# pg_ctl for the test server. PostgreSQL refuses to run as root, so as root we run it as the
# `postgres` user (CI machines run as root); anyone else runs it as themselves.
set -e
if [ -n "$CHECKIN_PG_BIN" ]; then
    bin="$CHECKIN_PG_BIN"
elif command -v pg_ctl >/dev/null 2>&1; then
    bin=$(dirname "$(command -v pg_ctl)")
else
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ "$(id -u)" = 0 ]; then
    exec runuser -u postgres -- "$bin/pg_ctl" "$@"
fi
exec "$bin/pg_ctl" "$@"
