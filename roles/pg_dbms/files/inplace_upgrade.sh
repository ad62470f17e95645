#!/usr/bin/env bash
# In-place catalog-data update of a PostgreSQL node (see docs/dba-guide.md, "The in-place catalog-data path").
#
#   inplace_upgrade.sh info|upgrade|reset -n SOURCE -N TARGET -s SCRIPTS -B BACKUP -d PGDATA -t TARGET_HOME
#                      [-l LOGDIR] [-m DUMPDIR] [-p PORT] [-r] [-k]
#
#   info     exit 0 when SCRIPTS/SOURCE-TARGET/ has catalog-data scripts and PGDATA runs SOURCE's major;
#            exit 3 when the path does not apply (the playbook then does a plain minor update).
#   upgrade  on the master, node stopped: back up the system-catalog files, start the node privately
#            (no TCP, own socket dir) with TARGET_HOME's binaries, dump pg_catalog, load the scripts into
#            every database (template0 and template1 included) twice: first ending in ROLLBACK, then for
#            real; dump again, compare, test. Leaves the node stopped. With -r (a replica) only checks:
#            replicas get the change by replication.
#   reset    node stopped (stopped here if running): put the catalog files back from the backup.
#
# Exit codes (the seed installer's):
#   0  success
#   1  the catalog transaction started and failed critically (some databases changed, others not):
#      no automatic recovery, a person must inspect the node
#   4  the transaction started (committed), a later step (dump, comparison, tests) failed: reset recovers
#   5  the transaction never started, the catalog is untouched: restoring the binaries recovers
#   2  usage error, 3 (info) the path does not apply
# Safe to run twice: STATE (BACKUP/state) records the last completed stage; a finished upgrade exits 0
# at once, a reset after a reset restores the same files again.
# Tests force an outcome with PG_INPLACE_FORCE_EXIT=1|4|5: the utility fails for real at the step
# that produces that code (a failing statement in pass 2 after the first database, in the tests after
# the real pass, in pass 1).
set -uo pipefail

mode=${1:-}; shift || true
src= tgt= scripts= backup= pgdata= home= logdir= dumpdir= port=5432 replica=false skip_tests=false
while getopts "n:N:s:B:d:t:T:l:m:p:h:u:b:rkD" opt; do
  case $opt in
    n) src=$OPTARG ;; N) tgt=$OPTARG ;; s) scripts=$OPTARG ;; B) backup=$OPTARG ;; d) pgdata=$OPTARG ;;
    t) home=$OPTARG ;; l) logdir=$OPTARG ;; m) dumpdir=$OPTARG ;; p) port=$OPTARG ;; r) replica=true ;;
    k) skip_tests=true ;; T|h|u|b|D) ;;   # the seed's other options: accepted, not needed here
    *) echo "usage: $0 info|upgrade|reset -n SRC -N TGT -s SCRIPTS -B BACKUP -d PGDATA -t HOME" >&2; exit 2 ;;
  esac
done
for v in mode src tgt scripts backup pgdata home; do
  [ -n "${!v}" ] || { echo "inplace_upgrade: missing ${v} (usage: $0 info|upgrade|reset -n SRC -N TGT -s DIR -B DIR -d PGDATA -t HOME)" >&2; exit 2; }
done
logdir=${logdir:-$backup/log}; dumpdir=${dumpdir:-$backup/dump}
pair="$src-$tgt"
sqldir="$scripts/$pair"
state_file="$backup/state"
force=${PG_INPLACE_FORCE_EXIT:-}
export LD_LIBRARY_PATH="$home/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
bin="$home/bin"
sock="$backup/socket"          # private socket dir: nobody else connects during the update

log() { echo "inplace_upgrade: $*"; [ -d "$logdir" ] && echo "$(date -u +%FT%TZ) $*" >> "$logdir/inplace_upgrade.log"; }
state() { cat "$state_file" 2>/dev/null || echo none; }
set_state() { echo "$1" > "$state_file.tmp" && mv -f "$state_file.tmp" "$state_file"; log "stage $1"; }
running() { "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; }
psql_db() { local db=$1; shift; "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U "${PGUSER:-postgres}" -d "$db" "$@"; }

start_private() {
  mkdir -p "$sock"
  "$bin/pg_ctl" -D "$pgdata" -w -t 120 -l "$logdir/postgres-private.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$sock' -p $port -c autovacuum=off" start >/dev/null
}
stop_server() { ! running || "$bin/pg_ctl" -D "$pgdata" -w -t 120 -m fast stop >/dev/null; }

databases() { psql_db postgres -At -c "SELECT datname FROM pg_database ORDER BY datname = 'template0' DESC, datname"; }

# Every file of a system-catalog relation (pg_catalog and its TOAST tables), relative to PGDATA, one
# line per relation (the main fork's path; segments .1.. and the _fsm/_vm forks go with it).
catalog_files() {
  local db
  for db in $(databases); do
    psql_db "$db" -At -c "SELECT pg_relation_filepath(c.oid) FROM pg_class c
        WHERE c.relnamespace IN ('pg_catalog'::regnamespace, 'pg_toast'::regnamespace)
          AND c.oid < 16384 AND c.relkind IN ('r','i','t','m') AND NOT c.relisshared
          AND pg_relation_filepath(c.oid) IS NOT NULL" || return 1
  done | sort -u
}

# What the update may change, per database: pg_catalog's functions with result, source and description.
dump_catalog() {
  local out=$1 db
  mkdir -p "$out"
  for db in $(databases); do
    psql_db "$db" -At -c "COPY (SELECT p.oid::regprocedure::text, pg_get_function_result(p.oid), md5(p.prosrc),
          coalesce(obj_description(p.oid, 'pg_proc'), '')
        FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace ORDER BY 1) TO STDOUT" > "$out/$db.tsv" || return 1
  done
}

template0_connections() {  # true|false
  psql_db postgres -c "ALTER DATABASE template0 ALLOW_CONNECTIONS $1" >/dev/null
}

# Loads the scripts into one database inside one transaction ending in $2 (ROLLBACK or COMMIT).
load_scripts() {
  local db=$1 end=$2 f file
  file=$(mktemp "$backup/load.XXXXXX.sql")
  { echo "BEGIN;"; for f in "$sqldir"/[0-9]*.sql; do echo "\\i $f"; done
    [ -n "${3:-}" ] && echo "$3"
    echo "$end;"; } > "$file"
  psql_db "$db" -f "$file" >> "$logdir/load-$db-$end.log" 2>&1
  local rc=$?; rm -f "$file"; return $rc
}

backup_catalog() {
  [ -f "$backup/catalog/complete" ] && { log "catalog backup already complete"; return 0; }
  rm -rf "$backup/catalog.tmp" && mkdir -p "$backup/catalog.tmp" || return 1
  start_private || return 1
  # template0 is listed too: connections to it are allowed only while we look.
  template0_connections true || return 1
  catalog_files > "$backup/catalog.tmp/relations" || { template0_connections false; return 1; }
  template0_connections false || return 1
  stop_server || return 1
  local rel f
  (cd "$pgdata" && while read -r rel; do
      for f in "$rel" "$rel".[0-9]* "$rel"_fsm "$rel"_vm "$rel"_init; do
        [ -e "$f" ] && cp -a --parents "$f" "$backup/catalog.tmp/" || true
      done
    done < "$backup/catalog.tmp/relations"
    for f in base/*/pg_filenode.map; do cp -a --parents "$f" "$backup/catalog.tmp/"; done
    # Shared catalogs; pg_control stays: it must keep pointing at the newest checkpoint.
    mkdir -p "$backup/catalog.tmp/global"
    find global -maxdepth 1 -type f ! -name pg_control ! -name pg_internal.init -exec cp -a {} "$backup/catalog.tmp/global/" \;
  ) || return 1
  sync -f "$backup/catalog.tmp" 2>/dev/null || true
  touch "$backup/catalog.tmp/complete" && rm -rf "$backup/catalog" && mv -T "$backup/catalog.tmp" "$backup/catalog"
  log "catalog backup: $(wc -l < "$backup/catalog/relations") relations + global/ in $backup/catalog"
}

mkdir -p "$backup" "$logdir" "$dumpdir" 2>/dev/null || { echo "inplace_upgrade: cannot create $backup" >&2; exit 5; }

case $mode in
info)
  ls "$sqldir"/[0-9]*.sql >/dev/null 2>&1 || { echo "no catalog-data scripts for $pair in $scripts: the in-place path does not apply"; exit 3; }
  major=$(cat "$pgdata/PG_VERSION" 2>/dev/null)
  [ "$major" = "${src%%.*}" ] || { echo "PGDATA $pgdata runs major '${major:-none}', not ${src%%.*}"; exit 3; }
  [ -x "$bin/postgres" ] || [ "$replica" = true ] || { echo "target binaries missing in $bin (unpacked later by the playbook)"; }
  echo "the in-place catalog-data path applies to $pair (state: $(state))"
  exit 0 ;;

upgrade)
  case $(state) in
    done) log "$pair already done: nothing to do"; exit 0 ;;
    txn_started) log "a previous run stopped in the real pass: the catalog is partly changed, run reset first"; exit 1 ;;
  esac
  if [ "$replica" = true ]; then
    log "replica: the change arrives by replication from the master"; exit 0
  fi
  running && { log "the node is running: stop it first (nothing changed)"; exit 5; }
  # From here on, whatever happens, the node is left stopped (the playbook starts it with the right
  # binaries), template0 refusing connections again first. Only upgrade starts the node, so only it stops it.
  trap 'running && { template0_connections false; stop_server; } >/dev/null 2>&1' EXIT
  if [ "$(state)" != committed ]; then
    backup_catalog || { log "catalog backup failed (nothing changed)"; exit 5; }
    start_private || { log "cannot start the node with $home (nothing changed)"; exit 5; }
    template0_connections true || exit 5
    dump_catalog "$dumpdir/before" || { log "dump of pg_catalog before failed (nothing changed)"; template0_connections false; exit 5; }
    # Pass 1: every database, ending in ROLLBACK. Any failure: nothing changed.
    for db in $(databases); do
      extra=; [ "$force" = 5 ] && extra="SELECT pg_catalog.drover_forced_failure_pass1();"
      load_scripts "$db" ROLLBACK "$extra" || {
        log "pass 1 (ROLLBACK) failed in database $db: see $logdir/load-$db-ROLLBACK.log; the catalog is untouched"
        template0_connections false; exit 5; }
    done
    log "pass 1 loaded into every database and rolled back"
    set_state txn_started
    n=0
    for db in $(databases); do
      extra=; [ "$force" = 1 ] && [ $n -ge 1 ] && extra="SELECT pg_catalog.drover_forced_failure_pass2();"
      load_scripts "$db" COMMIT "$extra" || {
        log "pass 2 (COMMIT) failed in database $db after $n database(s) committed: see $logdir/load-$db-COMMIT.log"
        exit 1; }
      n=$((n + 1))
    done
    set_state committed
  else
    start_private && template0_connections true || { log "cannot start the node with $home"; exit 4; }
  fi
  # After the real pass: dump, compare, test. A failure here leaves the change committed: exit 4.
  dump_catalog "$dumpdir/after" || { log "dump of pg_catalog after failed"; exit 4; }
  for f in "$dumpdir/before"/*.tsv; do
    db=$(basename "$f" .tsv)
    if diff "$f" "$dumpdir/after/$db.tsv" | grep '^[<>]' | grep -v '^> drover_catalog_data_version()' > "$dumpdir/unexpected-$db.diff"; then
      log "unexpected pg_catalog difference in $db: $dumpdir/unexpected-$db.diff"; exit 4
    fi
    rm -f "$dumpdir/unexpected-$db.diff"
  done
  if [ "$skip_tests" != true ]; then
    for db in $(databases); do
      [ "$db" = template0 ] && continue
      extra=; [ "$force" = 4 ] && extra="SELECT pg_catalog.drover_forced_failure_tests();"
      { cat "$sqldir"/test_*.sql; echo "$extra"; } | psql_db "$db" >> "$logdir/tests-$db.log" 2>&1 || {
        log "tests of the updated catalog data failed in $db: see $logdir/tests-$db.log"; exit 4; }
    done
  fi
  template0_connections false || exit 4
  stop_server || exit 4
  set_state done
  log "catalog data updated $pair in every database"
  exit 0 ;;

reset)
  [ -f "$backup/catalog/complete" ] || { log "no complete catalog backup in $backup/catalog: nothing to reset"; set_state reset; exit 0; }
  stop_server || { log "cannot stop the node"; exit 1; }
  (cd "$pgdata" && while read -r rel; do
      rm -f "$rel" "$rel".[0-9]* "$rel"_fsm "$rel"_vm "$rel"_init
    done < "$backup/catalog/relations"
    find . -name pg_internal.init -delete
    # Files only: PGDATA's own directories keep their modes (postgres refuses a group/world-open PGDATA).
    tar -C "$backup/catalog" -cf - base global | tar -C "$pgdata" -xf - --no-overwrite-dir) || {
      log "reset failed: copy $backup/catalog/{base,global} back into $pgdata by hand"; exit 1; }
  sync -f "$pgdata" 2>/dev/null || true
  set_state reset
  log "catalog files restored from $backup/catalog"
  exit 0 ;;
*) echo "inplace_upgrade: unknown mode '$mode' (info, upgrade, reset)" >&2; exit 2 ;;
esac
