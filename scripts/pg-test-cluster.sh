#!/usr/bin/env bash
# A throw-away PostgreSQL cluster owned by a test run (issue 19 point 3).
#
#   scripts/pg-test-cluster.sh start DIR          create DIR, initdb, start, make roles + database;
#                                                 prints shell assignments to eval (see below)
#   scripts/pg-test-cluster.sh stop DIR           stop the server (immediate) and remove DIR;
#                                                 safe to call twice, or after a failed start
#   scripts/pg-test-cluster.sh createdb DIR NAME [TEMPLATE]
#                                                 CREATE DATABASE NAME OWNER iom_owner
#                                                 TEMPLATE TEMPLATE (default template0); prints
#                                                 IOM_PG_OWNER_URI / IOM_PG_APP_URI for it
#   scripts/pg-test-cluster.sh template DIR NAME  mark database NAME as a template (no more
#                                                 connections to it), so that `createdb ... NAME`
#                                                 clones it: a fresh database with the schema
#   scripts/pg-test-cluster.sh env DIR            print the assignments again
#
# Typical use (tests run as root in CI; the server runs as the Debian package's `postgres` user):
#   d=$(mktemp -d /tmp/iom-pg.XXXXXX)
#   trap 'scripts/pg-test-cluster.sh stop "$d"' EXIT
#   eval "$(scripts/pg-test-cluster.sh start "$d")"
#   psql "$IOM_PG_OWNER_URI" ...
#
# The cluster:
#  - DIR (mode 0700) is owned by `postgres` when this runs as root (PostgreSQL refuses to run as
#    root), else by the current user; DIR/data is the data directory, DIR/sock the only socket,
#    DIR/server.log the log. DIR's parents must be searchable by `postgres` (a directory under
#    /tmp made by `mktemp -d` is: this script chowns DIR itself).
#  - listen_addresses = '': no TCP at all, only the Unix socket DIR/sock/.s.PGSQL.5432, so it
#    cannot collide with a system cluster on 5432 (whose socket is in /var/run/postgresql).
#  - Authentication: trust, over that socket only. Acceptable for a throw-away TEST cluster
#    only: whoever can reach DIR/sock (root and the owner of DIR) may log in as any role.
#  - fsync = on and synchronous_commit = on (the defaults: the tests that kill a server or a
#    backend with SIGKILL see what production sees). initdb runs with --no-sync: its files are
#    thrown away with DIR, and a machine crash during a test run loses the run anyway.
#  - max_connections = 200 (three `iom serve` pools and the test clients).
#  - Encoding UTF8, LC_COLLATE C (byte order, as SQLite's BINARY), LC_CTYPE C.UTF-8 (the text
#    search parser and lower() see Unicode letters); the schema also puts COLLATE "C" on its
#    text columns, so ordering does not depend on the database's locale.
#  - Roles: `postgres` (superuser, bootstrap), `iom_owner` (LOGIN CREATEDB: owns database `iom`
#    and, once the schema is applied by it, every table; runs migrations; may create the
#    per-test databases), `iom_app` (LOGIN: what `iom serve` connects as; owns nothing, has only
#    the privileges the schema grants it, so it cannot drop or disable a trigger).
#
# Printed assignments (libpq URIs; the socket directory is given as the `host` query parameter,
# percent-encoded; libpq 15 also accepts it percent-encoded in the host part,
# postgresql://iom_owner@%2Ftmp%2Fx%2Fsock:5432/iom):
#   IOM_PG_DIR IOM_PG_BIN IOM_PG_SOCKDIR IOM_PG_PORT
#   IOM_PG_SUPER_URI   postgresql://postgres@/postgres?host=DIR%2Fsock&port=5432
#   IOM_PG_OWNER_URI   postgresql://iom_owner@/iom?host=DIR%2Fsock&port=5432
#   IOM_PG_APP_URI     postgresql://iom_app@/iom?host=DIR%2Fsock&port=5432
set -euo pipefail

PORT=5432
MARK=.iom-pg-test-cluster

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The newest PostgreSQL server installed by Debian's packages (/usr/lib/postgresql/N/bin);
# IOM_PG_BIN overrides it.
pg_bin() {
  if [ -n "${IOM_PG_BIN:-}" ]; then
    [ -x "$IOM_PG_BIN/initdb" ] || die "IOM_PG_BIN=$IOM_PG_BIN has no initdb"
    echo "$IOM_PG_BIN"; return
  fi
  local v
  v=$(ls -1 /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1 || true)
  [ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] ||
    die "no PostgreSQL server in /usr/lib/postgresql/*/bin (run scripts/install-deps.sh)"
  echo "/usr/lib/postgresql/$v/bin"
}

# Runs a command as the cluster's OS user: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

abspath() { (cd "$1" && pwd -P); }

# Percent-encodes everything but unreserved characters and '/' (a path in a URI query value).
urlenc() {
  local LC_ALL=C s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~/-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  # '/' is legal in a query value, but encode it too: one form that also works in the host part.
  echo "${out//\//%2F}"
}

uri() { # ROLE DB SOCKDIR
  echo "postgresql://$1@/$2?host=$(urlenc "$3")&port=$PORT"
}

print_env() { # DIR
  local dir=$1 sock="$1/sock" bin
  bin=$(cat "$dir/bin")
  printf "IOM_PG_DIR=%q\n" "$dir"
  printf "IOM_PG_BIN=%q\n" "$bin"
  printf "IOM_PG_SOCKDIR=%q\n" "$sock"
  printf "IOM_PG_PORT=%q\n" "$PORT"
  printf "IOM_PG_SUPER_URI=%q\n" "$(uri postgres postgres "$sock")"
  printf "IOM_PG_OWNER_URI=%q\n" "$(uri iom_owner iom "$sock")"
  printf "IOM_PG_APP_URI=%q\n" "$(uri iom_app iom "$sock")"
  echo "export IOM_PG_DIR IOM_PG_BIN IOM_PG_SOCKDIR IOM_PG_PORT IOM_PG_SUPER_URI IOM_PG_OWNER_URI IOM_PG_APP_URI"
}

su_psql() { # DIR SQL...: runs SQL as the superuser in database postgres
  local dir=$1; shift
  PGCONNECT_TIMEOUT=10 psql -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$PORT" -U postgres -d postgres "$@"
}

check_ours() { # DIR
  [ -f "$1/$MARK" ] || die "$1 is not a cluster made by this script (no $MARK)"
}

valid_dbname() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name '$1': lower-case letters, digits and _ (at most 63)"
}

cmd_start() {
  local dir=$1 bin sock
  bin=$(pg_bin)
  if [ -e "$dir" ]; then
    [ -d "$dir" ] || die "$dir exists and is not a directory"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty (give a new or empty directory)"
  else
    mkdir -p "$dir"
  fi
  dir=$(abspath "$dir")
  sock="$dir/sock"
  # A Unix socket path is at most 107 bytes: DIR/sock/.s.PGSQL.5432
  [ $(( ${#sock} + 15 )) -le 107 ] || die "$dir is too long for a Unix socket path (use a short path under /tmp)"
  chmod 0700 "$dir"
  touch "$dir/$MARK"
  echo "$bin" > "$dir/bin"
  mkdir -m 0700 "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no user 'postgres' (install the postgresql package: scripts/install-deps.sh)"
    chown -R postgres:postgres "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "user postgres cannot reach $dir (are its parent directories searchable by others?)"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --no-sync --no-instructions \
    --encoding=UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C \
    --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# pg-test-cluster.sh: a throw-away test cluster
listen_addresses = ''
unix_socket_directories = '$sock'
port = $PORT
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 64MB
log_min_messages = warning
log_line_prefix = '%m [%p] %u@%d '
# a wait for a lock longer than deadlock_timeout (1 s) is logged with the holders' pids, and a
# statement that ran 2 s or more with its text: what scripts/test-pg.sh prints when a test fails
# (a hang is otherwise a bare ctest timeout)
log_lock_waits = on
log_min_duration_statement = 2000
EOF
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s start ||
    { tail -n 30 "$dir/server.log" >&2 || true; die "the server did not start (log above)"; }
  local i
  for ((i = 0; i < 100; i++)); do
    "$bin/pg_isready" -q -h "$sock" -p "$PORT" -U postgres -d postgres && break
    sleep 0.1
  done
  "$bin/pg_isready" -q -h "$sock" -p "$PORT" -U postgres -d postgres || die "the server is not ready after 10 s"
  su_psql "$dir" <<'EOF'
CREATE ROLE iom_owner LOGIN CREATEDB;
CREATE ROLE iom_app LOGIN;
CREATE DATABASE iom OWNER iom_owner TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8';
EOF
  print_env "$dir"
}

cmd_stop() {
  local dir=$1
  [ -e "$dir" ] || return 0
  check_ours "$dir"
  if [ -f "$dir/data/postmaster.pid" ]; then
    local bin
    bin=$(cat "$dir/bin" 2>/dev/null || pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop >/dev/null 2>&1 || {
      # pg_ctl could not stop it (or it was gone already): kill the postmaster we started.
      local pid
      pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] &&
         tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$dir/data"; then
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
      fi
    }
  fi
  rm -rf -- "$dir"
}

cmd_createdb() { # DIR NAME [TEMPLATE]
  local dir=$1 name=$2 tmpl=${3:-template0}
  check_ours "$dir"
  dir=$(abspath "$dir")
  valid_dbname "$name"
  valid_dbname "$tmpl"
  su_psql "$dir" -c "CREATE DATABASE $name OWNER iom_owner TEMPLATE $tmpl ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
  printf "IOM_PG_OWNER_URI=%q\n" "$(uri iom_owner "$name" "$dir/sock")"
  printf "IOM_PG_APP_URI=%q\n" "$(uri iom_app "$name" "$dir/sock")"
}

cmd_template() { # DIR NAME
  local dir=$1 name=$2
  check_ours "$dir"
  dir=$(abspath "$dir")
  valid_dbname "$name"
  # A template must have no other connection while it is copied: refuse new ones, end the rest.
  su_psql "$dir" <<EOF
ALTER DATABASE $name IS_TEMPLATE true ALLOW_CONNECTIONS false;
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$name' \gset
EOF
}

[ $# -ge 2 ] || usage
cmd=$1; dir=$2; shift 2
case "$cmd" in
  start)    [ $# -eq 0 ] || usage; cmd_start "$dir" ;;
  stop)     [ $# -eq 0 ] || usage; cmd_stop "$dir" ;;
  env)      [ $# -eq 0 ] || usage; check_ours "$dir"; print_env "$(abspath "$dir")" ;;
  createdb) [ $# -ge 1 ] && [ $# -le 2 ] || usage; cmd_createdb "$dir" "$@" ;;
  template) [ $# -eq 1 ] || usage; cmd_template "$dir" "$1" ;;
  *) usage ;;
esac
