#!/usr/bin/env bash
# Drover vs ansible-playbook on the namespace lab (docs/performance.md).
#
#   bench/bench.sh [--hosts N] [--runs R] [--quick] [--tools LIST] [--playbooks LIST] [--keep-lab] [--no-build]
#
# Brings up N lab hosts (default 10), runs every playbook of bench/playbooks/ R times (default 5) with each tool,
# round-robin (run 1 of every tool and playbook, then run 2, ...), so load drift hits all tools alike, then prints
# medians, ratios vs ansible-playbook, per-task-per-host time for `command`, and start-up (1 local task).
# Tools: ansible (ANSIBLE_PIPELINING=1, ControlPersist, -f N), mitogen (the same + strategy mitogen_linear, when
# ansible-mitogen is installed), agent (drover play -f N: the default, the agent once a host's work pays for it),
# agent-wait (-e drover_agent=wait: every task through the agent), agentless (-e drover_agent=false).
# --quick = --hosts 5 --runs 3. Raw data and logs: bench/results/<UTC time>/. Tears its lab down on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOSTS=10 RUNS=5 KEEP_LAB=0 BUILD=1
TOOLS="ansible mitogen agent agent-wait agentless"
PLAYBOOKS="baseline trivial files serial1 dba_like"
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) HOSTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --quick) HOSTS=5; RUNS=3; shift ;;
    --tools) TOOLS=${2//,/ }; shift 2 ;;
    --playbooks) PLAYBOOKS=${2//,/ }; shift 2 ;;
    --keep-lab) KEEP_LAB=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

export DROVER_LAB_STATE=${DROVER_LAB_STATE:-$(bash "$ROOT/lab/lab.sh" statedir)}  # lab.sh knows where a clone under /tmp may keep it
# DROVER_JAR: bench another build (e.g. a saved copy of main's jar) while the work tree is being rebuilt.
JAR=${DROVER_JAR:-$ROOT/engine/target/drover.jar}
# Drover runs as users run it: bin/drover (its JVM options and class-data-sharing archive, made on first use).
DROVER=(env DROVER_JAR="$JAR" "$ROOT/bin/drover")
PB=$ROOT/bench/playbooks
OUT=$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT/logs"
TSRUN=$ROOT/bench/tsrun.py
MITOGEN_DIR=/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy

log() { echo "bench: $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

if [ -z "${DROVER_JAR:-}" ] && { [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; }; then
  log "building drover.jar"
  # -Dmaven.test.skip: the bench needs the jar only (and does not depend on the tests compiling)
  (cd "$ROOT" && mvn -o -q -B package -Dmaven.test.skip=true)
fi
if [[ " $TOOLS " == *" mitogen "* ]] && [ ! -d "$MITOGEN_DIR" ]; then
  log "ansible-mitogen not installed (apt-get install ansible-mitogen): skipping the mitogen tool"
  TOOLS=${TOOLS//mitogen/}
fi

LAB_UP=0
cleanup() {
  local rc=$?
  if [ "$LAB_UP" = 1 ] && [ "$KEEP_LAB" = 0 ]; then
    log "lab down"; "$ROOT/lab/lab.sh" down >/dev/null 2>&1 || log "lab down failed: run lab/lab.sh down"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "lab up $HOSTS (state $DROVER_LAB_STATE)"
"$ROOT/lab/lab.sh" up "$HOSTS" >"$OUT/lab-up.log" 2>&1
LAB_UP=1
# shellcheck disable=SC1091
. "$DROVER_LAB_STATE/env"
INV=$DROVER_LAB_INVENTORY

# Machine description for the report.
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus=$(nproc)"
  echo "model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "mem=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "ansible=$(ansible-playbook --version 2>/dev/null | head -1)"
  echo "mitogen=$(dpkg-query -W -f='${Version}' ansible-mitogen 2>/dev/null || echo none)"
  echo "openssh=$(ssh -V 2>&1)"
  echo "drover=$(cd "$ROOT" && git rev-parse --short HEAD)"
  echo "hosts=$HOSTS runs=$RUNS tools=$TOOLS playbooks=$PLAYBOOKS"
} >"$OUT/machine.txt"

# One run of one tool on one playbook. Ansible gets a fresh ControlPath dir per run (cold start like Drover,
# ControlPersist still shares one ssh master per host across the run's tasks); the masters are closed after.
run_one() { # tool playbook run
  local tool=$1 pb=$2 run=$3 logf="$OUT/logs/$1.$2.$3.log" l0 res cp
  l0=$(load1)
  case "$tool" in
    ansible|mitogen)
      cp=$(mktemp -d /tmp/bench-cp.XXXXXX)
      local extra=()
      [ "$tool" = mitogen ] && extra=(env ANSIBLE_STRATEGY_PLUGINS="$MITOGEN_DIR" ANSIBLE_STRATEGY=mitogen_linear)
      res=$(cd "$PB" && "${extra[@]}" env ANSIBLE_PIPELINING=1 ANSIBLE_SSH_CONTROL_PATH_DIR="$cp" \
            ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_NOCOLOR=1 \
            "$TSRUN" --log "$logf" -- ansible-playbook -f "$HOSTS" -i "$INV" "$pb.yml")
      for s in "$cp"/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit bench >/dev/null 2>&1 || true; done
      rm -rf "$cp" ;;
    agent)
      res=$(cd "$PB" && "$TSRUN" --log "$logf" -- "${DROVER[@]}" play -f "$HOSTS" -i "$INV" "$pb.yml") ;;
    agent-wait)
      res=$(cd "$PB" && "$TSRUN" --log "$logf" -- "${DROVER[@]}" play -f "$HOSTS" -i "$INV" -e drover_agent=wait "$pb.yml") ;;
    agentless)
      res=$(cd "$PB" && "$TSRUN" --log "$logf" -- "${DROVER[@]}" play -f "$HOSTS" -i "$INV" -e drover_agent=false "$pb.yml") ;;
  esac
  echo "$tool $pb $run $res load1=$l0" | tr '=' ' ' | awk '{print $1","$2","$3","$5","$9","$11}' >>"$OUT/runs.csv"
  log "$(printf '%-9s %-9s run %s: %s (load %s)' "$tool" "$pb" "$run" "$res" "$l0")"
}

echo "tool,playbook,run,wall,rc,load1" >"$OUT/runs.csv"
# One warm-up run per tool (page cache, agent jar pushed once per host as in any second run), not counted.
for tool in $TOOLS; do run_one "$tool" baseline 0 >/dev/null 2>&1 || true; done
sed -i '2,$d' "$OUT/runs.csv"
for r in $(seq 1 "$RUNS"); do
  for pb in $PLAYBOOKS; do
    for tool in $TOOLS; do run_one "$tool" "$pb" "$r"; done
  done
done

# Start-up: 1 local task, time from spawn to the first task result; JVM share from `java -version`
# (bare JVM boot + exit) and `drover --version` (JVM + jar + CLI).
echo "what,run,seconds,load1" >"$OUT/startup.csv"
for r in $(seq 1 "$RUNS"); do
  l0=$(load1)
  s=$("$TSRUN" -- java -Xshare:auto -version | sed 's/.*wall=\([0-9.]*\).*/\1/'); echo "jvm_version,$r,$s,$l0" >>"$OUT/startup.csv"
  s=$("$TSRUN" -- "${DROVER[@]}" --version | sed 's/.*wall=\([0-9.]*\).*/\1/'); echo "drover_version,$r,$s,$l0" >>"$OUT/startup.csv"
  s=$(cd "$PB" && "$TSRUN" --first '^(ok|changed): \[' --log "$OUT/logs/startup.drover.$r.log" -- \
      "${DROVER[@]}" play -i localhost, -c local local1.yml | sed 's/.*first=\([0-9.-]*\).*/\1/')
  echo "drover_first_result,$r,$s,$l0" >>"$OUT/startup.csv"
  s=$(cd "$PB" && ANSIBLE_NOCOLOR=1 "$TSRUN" --first '^(ok|changed): \[' --log "$OUT/logs/startup.ansible.$r.log" -- \
      ansible-playbook -i localhost, -c local local1.yml | sed 's/.*first=\([0-9.-]*\).*/\1/')
  echo "ansible_first_result,$r,$s,$l0" >>"$OUT/startup.csv"
done

python3 "$ROOT/bench/report.py" "$OUT" | tee "$OUT/report.md"
log "raw data: $OUT"
