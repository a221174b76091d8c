#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the audit store suite and prints one line for eval:
#   export TEST_DATABASE_URL=postgres://...
# Idempotent: a cluster this script already started is reused. `--stop` stops it.
# Everything but that line goes to stderr, because .ci/run captures stdout.
set -euo pipefail

state_dir=${REPOL_PG_DIR:-${TMPDIR:-/tmp}/repol-ci-postgres}
data_dir="$state_dir/data"
first_port=${REPOL_PG_PORT:-54329}
db_name=repol_test
db_user=repol

say() { printf 'ci-postgres: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_bin_dir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  # Debian keeps the server binaries off PATH, one directory per major version.
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$newest" ] && [ -x "$newest/pg_ctl" ] && echo "$newest"
}

bin_dir=$(find_bin_dir || true)
if [ "${1:-}" = "--stop" ]; then
  if [ -n "$bin_dir" ] && [ -f "$data_dir/postmaster.pid" ]; then
    owner=$(stat -c %U "$data_dir")
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
      runuser -u "$owner" -- "$bin_dir/pg_ctl" -D "$data_dir" -m fast -w stop >&2 || true
    else
      "$bin_dir/pg_ctl" -D "$data_dir" -m fast -w stop >&2 || true
    fi
  fi
  exit 0
fi

if [ -z "$bin_dir" ]; then
  say "PostgreSQL not found; installing the Debian package"
  [ "$(id -u)" = 0 ] || die "PostgreSQL is missing and installing it needs root (apt-get install postgresql)"
  DEBIAN_FRONTEND=noninteractive apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  # The package starts a system cluster on 5432; this suite uses its own, so stop that one.
  service postgresql stop >&2 2>&1 || true
  bin_dir=$(find_bin_dir || true)
  [ -n "$bin_dir" ] || die "PostgreSQL was installed but pg_ctl/initdb are still not found"
fi

# PostgreSQL refuses to run as root: as root, run the server as the unprivileged `postgres` user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres >&2
  fi
  as_owner=(runuser -u postgres --)
fi

mkdir -p "$state_dir"
chmod 700 "$state_dir"
[ ${#as_owner[@]} -eq 0 ] || chown postgres: "$state_dir"

# A random password per cluster (scram) rather than trust auth: other local users cannot connect.
password_file="$state_dir/password"
if [ ! -s "$password_file" ]; then
  (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$password_file")
  [ ${#as_owner[@]} -eq 0 ] || chown postgres: "$password_file"
fi
password=$(cat "$password_file")

if [ ! -f "$data_dir/PG_VERSION" ]; then
  say "initdb in $data_dir"
  rm -rf "$data_dir"
  "${as_owner[@]}" "$bin_dir/initdb" -D "$data_dir" -U "$db_user" --pwfile="$password_file" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if "${as_owner[@]}" "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
  # Line 4 of postmaster.pid is the port the running server listens on.
  port=$(sed -n 4p "$data_dir/postmaster.pid")
  say "reusing the running cluster on 127.0.0.1:$port"
else
  port=$first_port
  while port_in_use "$port"; do port=$((port + 1)); done
  say "starting PostgreSQL ($("$bin_dir/postgres" --version)) on 127.0.0.1:$port"
  # A disposable test cluster: durability settings off to keep the suite fast.
  if ! "${as_owner[@]}" "$bin_dir/pg_ctl" -D "$data_dir" -l "$state_dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$state_dir \
        -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2; then
    tail -n 30 "$state_dir/server.log" >&2 || true
    die "PostgreSQL did not start"
  fi
fi

export PGPASSWORD="$password"
psql_admin=("$bin_dir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres -v ON_ERROR_STOP=1)
[ -x "$bin_dir/psql" ] || psql_admin[0]=psql
exists=$("${psql_admin[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")
if [ "$exists" != 1 ]; then
  "${psql_admin[@]}" -c "CREATE DATABASE $db_name" >&2
fi

echo "export TEST_DATABASE_URL=postgres://$db_user:$password@127.0.0.1:$port/$db_name"
