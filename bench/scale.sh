#!/usr/bin/env bash
# Scale (docs/performance.md#scale): one controller runs a 10-task playbook on N hosts (default 1000) and reports
# wall time, peak RSS (VmHWM of the drover JVM), peak thread count (sampled from /proc every 0.2 s) and the
# per-host CPU cost.
#
#   bench/scale.sh [--hosts N] [--forks F] [--drover CMD]
#
# The hosts are `ansible_connection=local` aliases of this machine, agentless: what grows with the number of
# hosts on the controller (variables, templating, scheduling, threads, memory) is what is measured here; the
# per-host remote cost is bench/bench.sh's business. 1000 real SSH hosts do not fit on this 2-core machine (the
# lab's namespaced sshd hosts cost a process tree each), and 1000 aliases of one lab host would measure that
# host's sshd. 4 of the 10 tasks start a process per host (command, copy, template, stat); 6 run on the
# controller (set_fact, debug, assert) and read hostvars, groups and the play's host lists.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOSTS=1000 FORKS=50 DROVER="$ROOT/bin/drover"
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) HOSTS=$2; shift 2 ;;
    --forks) FORKS=$2; shift 2 ;;
    --drover) DROVER=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "[fleet]"
  for i in $(seq -f '%04g' 0 $((HOSTS - 1))); do echo "db$i"; done
  echo "[fleet:vars]"
  echo "ansible_connection=local"
  echo "drover_agent=false"
  echo "pg_port=5432"
} >"$work/inventory.ini"
cat >"$work/play.yml" <<'YAML'
- hosts: fleet
  gather_facts: false
  vars:
    dsn: "host={{ inventory_hostname }} port={{ pg_port }}"
    out: "{{ scale_dir }}/{{ inventory_hostname }}"
  tasks:
    - set_fact: {peers: "{{ ansible_play_hosts | length }}"}
    - command: /bin/true
    - debug: {msg: "{{ dsn }} of {{ groups['fleet'] | length }}"}
      when: inventory_hostname == 'db0000'
    - copy: {content: "{{ dsn }}\n", dest: "{{ out }}.conf"}
    - assert: {that: ["hostvars[inventory_hostname].peers | int == ansible_play_hosts_all | length"]}
    - template: {src: "{{ scale_dir }}/t.j2", dest: "{{ out }}.tpl"}
    - set_fact: {first: "{{ hostvars[ansible_play_batch[0]].peers }}"}
    - stat: {path: "{{ out }}.conf"}
      register: st
    - assert: {that: ["st.stat.exists", "first | int > 0"]}
    - debug: {msg: "{{ update_errors.aggregate | length }} errors"}
      when: inventory_hostname == 'db0000'
YAML
mkdir -p "$work/out"
printf '%s\n' '# {{ inventory_hostname }}' 'port = {{ pg_port }}' 'peers = {{ peers }}' >"$work/out/t.j2"

echo "hosts=$HOSTS forks=$FORKS load=$(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086 # DROVER is a command line
$DROVER --version >/dev/null
start=$(date +%s.%N)
# shellcheck disable=SC2086
$DROVER play -f "$FORKS" -i "$work/inventory.ini" -e scale_dir="$work/out" "$work/play.yml" >"$work/out.log" 2>&1 &
launcher=$!
peak_threads=0 pid=""
while kill -0 "$launcher" 2>/dev/null; do
  # bin/drover execs java, so the launcher's pid becomes the JVM's; with another --drover, find the java child
  if [ -z "$pid" ]; then
    if grep -q java "/proc/$launcher/comm" 2>/dev/null; then pid=$launcher
    else pid=$(pgrep -P "$launcher" java | head -1 || true); fi
  fi
  if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
    t=$(awk '/^Threads:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${t:-0}" -gt "$peak_threads" ] && peak_threads=$t
    hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$hwm" ] && last_hwm=$hwm
    cpu=$(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -n "$cpu" ] && last_cpu=$cpu
  fi
  sleep 0.2
done
rc=0; wait "$launcher" || rc=$?
end=$(date +%s.%N)
recap=$(grep -Ec ' failed=0 .* ignored=0' "$work/out.log" || true)
python3 - "$start" "$end" "$HOSTS" "${last_hwm:-0}" "$peak_threads" "${last_cpu:-0}" "$rc" "$recap" <<'PY'
import sys
start, end, hosts, hwm, threads, cpu, rc, recap = sys.argv[1:]
wall = float(end) - float(start); hosts = int(hosts); cpu_s = int(cpu) / 100
print(f"| hosts | tasks | wall s | controller CPU s (last sample) | CPU ms per task and host | peak RSS (VmHWM) MiB | peak threads | exit | hosts without failure |")
print(f"|---|---|---|---|---|---|---|---|---|")
print(f"| {hosts} | 10 | {wall:.1f} | {cpu_s:.1f} | {cpu_s * 1000 / (hosts * 10):.2f} | {int(hwm) / 1024:.0f} | {threads} | {rc} | {recap} |")
PY
[ "$rc" = 0 ] || { echo "scale.sh: drover exited $rc; the end of its output:" >&2; tail -20 "$work/out.log" >&2; }
exit "$rc"
