#!/usr/bin/env bash
# Start-up of `drover play` (docs/performance.md): runs a 1-task local playbook R times (default 11) with
# DROVER_TIMING=1 and prints the median (min-max) milliseconds since the JVM process started of each phase,
# up to "first task sent" (the issue's start-up goal: <= 700 ms) and "first result".
#
#   bench/startup.sh [--runs R] [--drover CMD]      CMD default: bin/drover (AppCDS archive, see bin/drover)
#   bench/startup.sh --drover 'java -jar engine/target/drover.jar'     the same without bin/drover's options
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=11 DROVER="$ROOT/bin/drover"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --drover) DROVER=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$ROOT/bench/playbooks"
# shellcheck disable=SC2086 # DROVER is a command line
$DROVER --version >/dev/null   # builds the jar and, with bin/drover, the class-data archive: not counted
for r in $(seq 1 "$RUNS"); do
  DROVER_TIMING=1 $DROVER play -i localhost, -c local local1.yml 2>"$out/$r.err" >/dev/null
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$out"/*.err | python3 -c '
import re, statistics, sys
phases = {}
for line in sys.stdin:
    m = re.match(r"\[drover timing\]\s+(\d+) ms  \(cpu\s+(-?\d+) ms\)  ([^:]+)", line)
    if m: phases.setdefault(m.group(3).strip(), []).append((int(m.group(1)), int(m.group(2))))
print("| phase | wall ms since the JVM started, median (min-max) | CPU ms of the process, median | runs |")
print("|---|---|---|---|")
for p, v in phases.items():
    w = [x[0] for x in v]; c = [x[1] for x in v]
    print(f"| {p} | {statistics.median(w):.0f} ({min(w)}-{max(w)}) | {statistics.median(c):.0f} | {len(v)} |")
'
