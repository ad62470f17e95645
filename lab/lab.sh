#!/usr/bin/env bash
# Drover multi-host test lab: N hosts, each in its own network/mount/UTS/IPC/PID namespaces, running sshd.
#
#   lab/lab.sh up N [--no-java HOSTS]   start (or converge to) N hosts; HOSTS: labhost3 or 3, comma-separated
#   lab/lab.sh down                     stop everything this lab started and remove its state
#   lab/lab.sh status                   hosts, addresses, PIDs, whether ssh works (exit 0 only if all fine)
#   lab/lab.sh inventory                print the path of the INI inventory
#   lab/lab.sh statedir                 print the state dir this checkout uses
#   lab/lab.sh exec HOST CMD [ARG...]   run CMD inside HOST's namespaces (as root, cwd /root)
#
# Environment: DROVER_LAB_STATE (state dir, default lab/state), DROVER_LAB_ID (force lab id 0-99; default:
# first free), DROVER_LAB_NET (first two octets of the lab's /24s, default 10.213 -> 10.213.<id>.0/24).
# See docs/lab.md.
set -euo pipefail
[ -n "${LAB_TRACE:-}" ] && { PS4="+ \$EPOCHREALTIME \$BASHPID "; set -x; }

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
NET=${DROVER_LAB_NET:-10.213}
REG=/run/drover-lab          # machine-wide registry of lab ids, so labs of several work trees can coexist
MAX_HOSTS=100
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH="$SYS_PATH:$PATH"   # system tools first, whatever the caller's PATH holds

die() { echo "lab.sh: $*" >&2; exit 1; }
log() { echo "lab.sh: $*" >&2; }

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

need_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (it creates network namespaces, veths, a bridge and mounts)"
  local t
  for t in ip unshare nsenter setsid flock pgrep ssh ssh-keygen useradd usermod sudo; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' not found: run .ci/install-deps"
  done
  [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd not found: run .ci/install-deps (openssh-server)"
  [ -x /usr/lib/openssh/sftp-server ] || die "/usr/lib/openssh/sftp-server not found: run .ci/install-deps"
}

# The default state dir: lab/state in the checkout, unless the checkout itself is under a directory the hosts
# replace (a clone in /tmp or /root, as CI may make): then one per checkout under /srv/drover-lab.
default_state() {
  case "$LAB_DIR/" in
    /tmp/*|/var/*|/opt/*|/home/*|/root/*|/etc/*|/run/*|/usr/*)
      echo "/srv/drover-lab/$(printf '%s' "$LAB_DIR" | sha1sum | cut -c1-12)" ;;
    *) echo "$LAB_DIR/state" ;;
  esac
}

resolve_state() { # resolve_state [create]: sets STATE, the absolute state dir
  STATE=$(realpath -m "${DROVER_LAB_STATE:-$(default_state)}")
  check_state
  if [ "${1:-}" = create ]; then mkdir -p "$STATE"; STATE=$(cd "$STATE" && pwd -P); check_state; fi
}

check_state() {
  case "$STATE" in
    *[[:space:],:\'\"]*) die "state dir '$STATE' must not contain spaces, commas, colons or quotes (they break overlay mount options and ssh_config)" ;;
  esac
  case "$STATE/" in
    /tmp/*|/var/*|/opt/*|/home/*|/root/*|/etc/*|/run/*|/usr/*|/dev/*|/proc/*|/sys/*)
      die "state dir $STATE is under a directory the hosts replace with their own (/tmp /var /opt /home /root /etc /run /usr); pick another DROVER_LAB_STATE" ;;
  esac
}

lock_state() { exec 9>"$STATE/.lock"; flock 9; }

load_id() { LAB_ID=""; [ -f "$STATE/id" ] && LAB_ID=$(cat "$STATE/id"); set_names; }
set_names() {
  BR="dlab${LAB_ID}br"
  GW="$NET.$LAB_ID.1"
}
ns_name()   { echo "dlab${LAB_ID}h$1"; }
veth_name() { echo "dlab${LAB_ID}v$1"; }
host_addr() { echo "$NET.$LAB_ID.$((10 + $1))"; }
hostdir()   { echo "$STATE/hosts/labhost$1"; }

# An id is ours when the registry says so; it is free when unregistered, or registered by a state dir that
# no longer claims it and no bridge of that id exists.
id_owner() { cat "$REG/ids/$1/owner" 2>/dev/null || true; }
id_in_use_by_other() { # true if lab id $1 is used by a lab other than $STATE
  local id=$1 owner; owner=$(id_owner "$id")
  if [ -n "$owner" ]; then
    [ "$owner" = "$STATE" ] && return 1
    [ "$(cat "$owner/id" 2>/dev/null || true)" = "$id" ] && return 0   # its owner still claims it
  fi
  ip link show "dlab${id}br" >/dev/null 2>&1   # unregistered but its bridge exists: leave it alone
}

claim_id() {
  mkdir -p "$REG/ids"
  exec 8>"$REG/.lock"; flock 8
  if [ -n "$LAB_ID" ]; then
    if [ "$(id_owner "$LAB_ID")" != "$STATE" ]; then
      id_in_use_by_other "$LAB_ID" && die "lab id $LAB_ID of $STATE is now used by $(id_owner "$LAB_ID"); run 'lab.sh down' first"
      rm -rf "${REG:?}/ids/$LAB_ID"; mkdir "$REG/ids/$LAB_ID"; echo "$STATE" > "$REG/ids/$LAB_ID/owner"
    fi
  else
    local id candidates
    if [ -n "${DROVER_LAB_ID:-}" ]; then candidates=$DROVER_LAB_ID; else candidates=$(seq 0 99); fi
    for id in $candidates; do
      [[ "$id" =~ ^[0-9]+$ ]] && [ "$id" -le 99 ] || die "DROVER_LAB_ID must be 0-99, got '$id'"
      if [ -d "$REG/ids/$id" ] || ip link show "dlab${id}br" >/dev/null 2>&1; then
        id_in_use_by_other "$id" && continue
        rm -rf "${REG:?}/ids/$id"
      fi
      mkdir "$REG/ids/$id" 2>/dev/null || continue
      echo "$STATE" > "$REG/ids/$id/owner"
      LAB_ID=$id
      echo "$id" > "$STATE/id"
      break
    done
    [ -n "$LAB_ID" ] || die "no free lab id (tried: $candidates); see $REG/ids"
  fi
  # 'ip netns add' turns /run/netns into a shared bind mount the first time; remember whether we caused
  # that, so the last lab to go down can undo it.
  if ! mountpoint -q /run/netns 2>/dev/null; then touch "$REG/made-run-netns"; fi
  flock -u 8; exec 8>&-
  set_names
}

# The host's PID 1 is ours only if its environment names our host dir (guards against PID reuse).
init_pid() {
  local hd=$1 pid
  pid=$(cat "$hd/init.pid" 2>/dev/null) || return 1
  [ -r "/proc/$pid/environ" ] && tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qxF "LAB_HOSTDIR=$hd" || return 1
  echo "$pid"
}
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "$st" != Z ]; }
sshd_pid() { pgrep -P "$1" -x sshd | head -n1; }

stop_host() { # stop_host INDEX: end the host's processes, remove its veth and network namespace
  local i=$1 hd pid upid n
  hd=$(hostdir "$i")
  upid=$(cat "$hd/unshare.pid" 2>/dev/null || true)
  if ! pid=$(init_pid "$hd") && [ -n "$upid" ] && alive "$upid" && grep -qx unshare "/proc/$upid/comm" 2>/dev/null; then
    # An 'up' interrupted before it recorded init's PID: init is the unshare's child with our marker.
    pid=$(pgrep -P "$upid" | head -n1 || true)
    [ -n "$pid" ] && tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qxF "LAB_HOSTDIR=$hd" || pid=""
  fi
  if [ -n "$pid" ]; then
    kill -KILL "$pid" 2>/dev/null || true   # the kernel then kills every process of the host's PID namespace
  fi
  # Wait until init is gone and its unshare parent, which reaps it, has exited (a zombie unshare counts as
  # gone: its reaper is not ours).
  for n in $(seq 1 200); do
    { [ -n "${pid:-}" ] && alive "$pid"; } || { [ -n "$upid" ] && alive "$upid" && grep -qx unshare "/proc/$upid/comm" 2>/dev/null; } || break
    sleep 0.05
  done
  # Then whatever still carries the host's marker (an 'up' interrupted even earlier).
  local stray
  for stray in $(grep -lszxF "LAB_HOSTDIR=$hd" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
    [ "$stray" != "$$" ] && alive "$stray" && kill -KILL "$stray" 2>/dev/null || true
  done
  if [ "${NET_OURS:-1}" = 1 ]; then
    ip link del "$(veth_name "$i")" 2>/dev/null || true
    ip netns del "$(ns_name "$i")" 2>/dev/null || true
  fi
  rm -f "$hd/init.pid" "$hd/unshare.pid"
}

start_host() { # start_host INDEX NOJAVA(0|1)
  local i=$1 nojava=$2 hd ns veth addr upid pid n t
  hd=$(hostdir "$i"); ns=$(ns_name "$i"); veth=$(veth_name "$i"); addr=$(host_addr "$i")
  mkdir -p "$hd"/{opt,home,root,tmp}
  echo "$addr" > "$hd/addr"; echo "$nojava" > "$hd/nojava"
  ip link del "$veth" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  # A fixed MAC per address: a restarted host keeps its MAC, so neighbour caches stay right.
  ip link add "$veth" type veth peer name eth0 address "$(printf '02:64:6c:%02x:%02x:%02x' "$LAB_ID" $((i / 256)) $((i % 256)))" netns "$ns"
  ip neigh flush to "$addr" dev "$BR" 2>/dev/null || true
  sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" 2>/dev/null || true
  ip link set "$veth" master "$BR" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  setsid env -i PATH="$SYS_PATH" LANG=C.UTF-8 \
    LAB_HOSTNAME="labhost$i" LAB_ADDR="$addr" LAB_HOSTDIR="$hd" LAB_STATE="$STATE" LAB_NOJAVA="$nojava" \
    ip netns exec "$ns" unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private \
    -- "$LAB_DIR/hostinit.sh" </dev/null >"$hd/init.log" 2>&1 8>&- 9>&- &
  upid=$!
  echo "$upid" > "$hd/unshare.pid"
  for n in $(seq 1 200); do
    pid=$(pgrep -P "$upid" | head -n1 || true)
    [ -n "$pid" ] && break
    [ -d "/proc/$upid" ] || break
    sleep 0.01
  done
  [ -n "${pid:-}" ] || { cat "$hd/init.log" >&2; die "labhost$i: the host's init did not start (log above, $hd/init.log)"; }
  echo "$pid" > "$hd/init.pid"
}

host_keys() { # host_keys INDEX: the host's own sshd keys, kept while its host dir lives
  local hd t; hd=$(hostdir "$1"); mkdir -p "$hd"
  for t in ed25519 ecdsa; do
    [ -f "$hd/ssh_host_${t}_key" ] || ssh-keygen -q -t "$t" -N '' -C "root@labhost$1" -f "$hd/ssh_host_${t}_key"
  done
}

ssh_ok() { # ssh_ok NAME: real ssh, strict host key checking, key auth only
  ssh -F "$STATE/ssh_config" -o BatchMode=yes -o ConnectTimeout=3 "$1" true </dev/null >/dev/null 2>&1
}

listening() { # listening HOSTDIR ADDR: sshd logged that it listens (bash builtins only: this is polled)
  local line
  [ -f "$1/sshd.log" ] || return 1
  while IFS= read -r line; do [[ "$line" == "Server listening on $2 port 22"* ]] && return 0; done < "$1/sshd.log"
  return 1
}

wait_ssh() { # wait_ssh INDEX...: until a real ssh login (strict host key checking) works on each host
  local deadline=$((SECONDS + 30)) i hd addr pid left
  local -A checking=() initpid=()
  local tmp="$STATE/.wait"
  rm -rf "$tmp"; mkdir -p "$tmp"
  for i in "$@"; do read -r initpid[$i] < "$(hostdir "$i")/init.pid"; done
  while :; do
    left=0
    for i in "$@"; do
      [ -f "$tmp/$i.ok" ] && continue
      left=$((left + 1))
      hd="$STATE/hosts/labhost$i"; addr="$NET.$LAB_ID.$((10 + i))"
      if [ -f "$tmp/$i.fail" ]; then rm -f "$tmp/$i.fail"; unset "checking[$i]"; fi
      if [ -z "${checking[$i]:-}" ] && listening "$hd" "$addr"; then
        checking[$i]=1
        { if ssh_ok "labhost$i"; then : > "$tmp/$i.ok"; else : > "$tmp/$i.fail"; fi; } &
      fi
      pid=${initpid[$i]}
      if [ ! -d "/proc/$pid" ]; then
        cat "$hd/init.log" >&2; die "labhost$i died while starting (log above, $hd/init.log)"
      fi
    done
    [ "$left" -gt 0 ] || break
    if [ $SECONDS -ge $deadline ]; then
      for i in "$@"; do
        [ -f "$tmp/$i.ok" ] && continue
        hd="$STATE/hosts/labhost$i"
        log "labhost$i: no ssh login within 30 s; last lines of its logs ($hd):"
        tail -n 20 "$hd/init.log" "$hd/sshd.log" >&2 2>/dev/null || true
        ssh -F "$STATE/ssh_config" -o BatchMode=yes -o ConnectTimeout=3 -o LogLevel=VERBOSE "labhost$i" true </dev/null 2>&1 | tail -n 20 >&2 || true
      done
      die "$left host(s) did not accept ssh within 30 s"
    fi
    sleep 0.1
  done
  wait
  rm -rf "$tmp"
}

write_files() { # write_files N NOJAVA_LIST(space separated indexes)
  local n=$1 i t name addr java
  local -a nj=($2)
  is_nojava() { local x; for x in "${nj[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }

  { echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    for i in $(seq 1 "$n"); do echo "$(host_addr "$i") labhost$i"; done
    echo "$GW lab-controller"
  } > "$STATE/etc_hosts.new"
  # Rewrite in place (same inode): running hosts have it bind-mounted as /etc/hosts.
  cat "$STATE/etc_hosts.new" > "$STATE/etc_hosts"; rm -f "$STATE/etc_hosts.new"

  : > "$STATE/known_hosts.new"
  for i in $(seq 1 "$n"); do
    for t in ed25519 ecdsa; do
      echo "labhost$i,$(host_addr "$i") $(cut -d' ' -f1,2 "$(hostdir "$i")/ssh_host_${t}_key.pub")" >> "$STATE/known_hosts.new"
    done
  done
  mv -f "$STATE/known_hosts.new" "$STATE/known_hosts"

  { echo "# Written by lab/lab.sh (lab id $LAB_ID). Use: ssh -F $STATE/ssh_config labhost1"
    for i in $(seq 1 "$n"); do printf 'Host labhost%s\n  HostName %s\n' "$i" "$(host_addr "$i")"; done
    cat <<EOF
Host labhost* $NET.$LAB_ID.*
  User root
  Port 22
  IdentityFile $STATE/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  PasswordAuthentication no
  KbdInteractiveAuthentication no
  ConnectTimeout 5
  LogLevel ERROR
EOF
  } > "$STATE/ssh_config.new"
  mv -f "$STATE/ssh_config.new" "$STATE/ssh_config"

  local ssh_args="-o UserKnownHostsFile=$STATE/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
  { echo "# Written by lab/lab.sh up $n (lab id $LAB_ID, subnet $NET.$LAB_ID.0/24). Regenerated on every 'up'."
    echo "[all]"
    for i in $(seq 1 "$n"); do
      java=true; is_nojava "$i" && java=false
      echo "labhost$i ansible_host=$(host_addr "$i") lab_java=$java"
    done
    echo
    echo "[all:vars]"
    echo "ansible_user=root"
    echo "ansible_port=22"
    echo "ansible_ssh_private_key_file=$STATE/id_ed25519"
    echo "ansible_ssh_common_args='$ssh_args'"
    echo "drover_known_hosts_file=$STATE/known_hosts"
    echo "ansible_python_interpreter=/usr/bin/python3"
    echo
    echo "[master]"; echo "labhost1"
    echo
    echo "[replica]"
    if [ "$n" -eq 2 ]; then echo "labhost2"; fi
    if [ "$n" -ge 3 ]; then for i in $(seq 2 $((n - 1))); do echo "labhost$i"; done; fi
    echo
    echo "[arbiter]"
    if [ "$n" -ge 3 ]; then echo "labhost$n"; fi
    echo
    echo "[postgres:children]"; echo "master"; echo "replica"
    echo
    echo "[java]"
    for i in $(seq 1 "$n"); do is_nojava "$i" || echo "labhost$i"; done
    echo
    echo "[nojava]"
    for i in "${nj[@]}"; do echo "labhost$i"; done
  } > "$STATE/inventory.ini.new"
  mv -f "$STATE/inventory.ini.new" "$STATE/inventory.ini"

  { printf 'name\taddress\tjava\n'
    for i in $(seq 1 "$n"); do
      java=true; is_nojava "$i" && java=false
      printf 'labhost%s\t%s\t%s\n' "$i" "$(host_addr "$i")" "$java"
    done
  } > "$STATE/hosts.tsv.new"
  mv -f "$STATE/hosts.tsv.new" "$STATE/hosts.tsv"

  cat > "$STATE/env" <<EOF
# Source me: . $STATE/env
export DROVER_LAB_STATE='$STATE'
export DROVER_LAB_INVENTORY='$STATE/inventory.ini'
export DROVER_LAB_KNOWN_HOSTS='$STATE/known_hosts'
export DROVER_LAB_KEY='$STATE/id_ed25519'
export DROVER_LAB_SSH_CONFIG='$STATE/ssh_config'
export ANSIBLE_INVENTORY='$STATE/inventory.ini'
export ANSIBLE_SSH_ARGS='-C -o ControlMaster=auto -o ControlPersist=60s $ssh_args'
EOF
}

parse_hosts_arg() { # "labhost2,3" -> "2 3"
  local item out=()
  IFS=',' read -r -a items <<< "$1"
  for item in "${items[@]}"; do
    item=${item#labhost}
    [[ "$item" =~ ^[0-9]+$ ]] || die "bad host '$item' in --no-java: use labhostN or N"
    out+=("$item")
  done
  echo "${out[*]}"
}

cmd_up() {
  local n="" nojava="" arg
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-java) [ $# -ge 2 ] || die "--no-java needs HOSTS"; nojava="$nojava $(parse_hosts_arg "$2")"; shift 2 ;;
      --no-java=*) nojava="$nojava $(parse_hosts_arg "${1#--no-java=}")"; shift ;;
      -*) die "unknown option $1" ;;
      *) [ -z "$n" ] || die "unexpected argument $1"; n=$1; shift ;;
    esac
  done
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le $MAX_HOSTS ] || die "usage: lab.sh up N [--no-java HOSTS] (1 <= N <= $MAX_HOSTS)"
  for arg in $nojava; do [ "$arg" -ge 1 ] && [ "$arg" -le "$n" ] || die "--no-java host $arg is not in 1..$n"; done

  need_root; resolve_state create; lock_state; load_id; claim_id
  log "lab $LAB_ID: $n hosts on $NET.$LAB_ID.0/24, state $STATE"

  [ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "drover-lab-controller" -f "$STATE/id_ed25519"

  if ! ip link show "$BR" >/dev/null 2>&1; then
    ip link add "$BR" type bridge
    sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1" 2>/dev/null || true
    ip addr add "$GW/24" dev "$BR"
    ip link set "$BR" up
  fi

  # Converge: stop hosts beyond N and hosts whose java-ness changed; (re)start those not running.
  local hd i want=() fails=0 pids=() d
  mkdir -p "$STATE/hosts"
  for d in "$STATE"/hosts/labhost*; do
    [ -d "$d" ] || continue
    i=${d##*/labhost}
    if [ "$i" -gt "$n" ]; then stop_host "$i"; rm -rf "$d"; fi
  done
  for i in $(seq 1 "$n"); do
    hd=$(hostdir "$i")
    local nj=0; [[ " $nojava " == *" $i "* ]] && nj=1
    local ipid
    if ipid=$(init_pid "$hd") && [ -n "$(sshd_pid "$ipid")" ] && [ "$(cat "$hd/nojava" 2>/dev/null)" = "$nj" ] \
       && ip netns list | grep -qw "$(ns_name "$i")"; then
      continue   # running, with its sshd: keep it
    fi
    if [ -d "$hd" ] && [ "$(cat "$hd/nojava" 2>/dev/null || echo "$nj")" != "$nj" ]; then
      stop_host "$i"; rm -rf "$hd"   # java-ness changes the host's filesystem view: start afresh
    fi
    want+=("$i")
  done
  for i in $(seq 1 "$n"); do host_keys "$i" & pids+=($!); done
  for d in "${pids[@]}"; do wait "$d" || die "ssh-keygen failed"; done
  pids=()
  write_files "$n" "$nojava"
  for i in "${want[@]}"; do
    local nj=0; [[ " $nojava " == *" $i "* ]] && nj=1
    ( stop_host "$i"; start_host "$i" "$nj" ) &
    pids+=($!)
  done
  for d in "${pids[@]}"; do wait "$d" || fails=$((fails + 1)); done
  [ "$fails" -eq 0 ] || die "$fails host(s) failed to start; the lab is partly up: see 'lab.sh status', clean with 'lab.sh down'"
  [ ${#want[@]} -eq 0 ] || wait_ssh "${want[@]}"
  log "up: ${#want[@]} started, $((n - ${#want[@]})) already running; inventory $STATE/inventory.ini"
}

cmd_down() {
  need_root; resolve_state
  if [ ! -d "$STATE" ]; then log "down: no lab in $STATE"; return 0; fi
  lock_state; load_id
  if [ -z "$LAB_ID" ]; then
    [ -d "$STATE/hosts" ] && die "$STATE has hosts but no id file; remove leftovers by hand (ip netns list | grep dlab)"
    log "down: no lab in $STATE"; rm -rf "$STATE"; return 0
  fi
  local d i pids=()
  mkdir -p "$REG/ids"
  # After a reboot (or a lost registry) another lab may have taken this id: then its names are not ours.
  NET_OURS=1
  local owner; owner=$(id_owner "$LAB_ID")
  if [ -n "$owner" ] && [ "$owner" != "$STATE" ] && [ "$(cat "$owner/id" 2>/dev/null || true)" = "$LAB_ID" ]; then
    NET_OURS=0
    log "down: lab id $LAB_ID now belongs to $owner; ending this lab's processes only"
  fi
  for d in "$STATE"/hosts/labhost*; do
    [ -d "$d" ] || continue
    i=${d##*/labhost}
    stop_host "$i" & pids+=($!)
  done
  for d in "${pids[@]}"; do wait "$d" || true; done
  if [ "$NET_OURS" = 1 ]; then
    # Any namespace or veth of this lab id that the host dirs did not account for.
    for d in $(ip netns list | awk '{print $1}' | grep -E "^dlab${LAB_ID}h[0-9]+$" || true); do ip netns del "$d" || true; done
    for d in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^dlab${LAB_ID}v[0-9]+$" || true); do ip link del "$d" || true; done
    ip link del "$BR" 2>/dev/null || true
  fi
  exec 8>"$REG/.lock"; flock 8
  if [ "$(id_owner "$LAB_ID")" = "$STATE" ]; then rm -rf "${REG:?}/ids/$LAB_ID"; fi
  if [ -z "$(ls -A "$REG/ids" 2>/dev/null)" ]; then
    if [ -f "$REG/made-run-netns" ] && [ -z "$(ip netns list)" ]; then
      if umount /run/netns 2>/dev/null || umount -l /run/netns 2>/dev/null; then
        rmdir /run/netns 2>/dev/null || true
      else
        log "down: could not unmount /run/netns (ip 'netns list': none left); remove it with: umount /run/netns"
      fi
    fi
    rm -rf "$REG"   # the last lab is gone: drop the registry (and its lock file)
  fi
  exec 8>&-
  exec 9>&-
  rm -rf "$STATE"
  log "down: lab $LAB_ID removed"
}

cmd_status() {
  need_root; resolve_state; load_id
  if [ -z "$LAB_ID" ] || [ ! -f "$STATE/hosts.tsv" ]; then echo "lab: not up (state $STATE)"; return 3; fi
  echo "lab $LAB_ID: bridge $BR $GW/24, state $STATE"
  local bad=0 name addr java hd pid spid sshok tmp
  tmp=$(mktemp -d)
  # ssh checks in parallel: one login per host.
  while IFS=$'\t' read -r name addr java; do
    [ "$name" = name ] && continue
    { if ssh_ok "$name"; then echo ok; else echo FAIL; fi > "$tmp/$name"; } &
  done < "$STATE/hosts.tsv"
  wait
  printf '%-10s %-15s %-5s %-8s %-8s %s\n' HOST ADDRESS JAVA INIT SSHD SSH
  while IFS=$'\t' read -r name addr java; do
    [ "$name" = name ] && continue
    hd="$STATE/hosts/$name"
    pid=$(init_pid "$hd" || echo -); spid=-
    [ "$pid" != - ] && spid=$(sshd_pid "$pid" || true)
    sshok=$(cat "$tmp/$name")
    [ "$sshok" = ok ] && [ "$pid" != - ] && [ -n "$spid" ] || bad=1
    printf '%-10s %-15s %-5s %-8s %-8s %s\n' "$name" "$addr" "$java" "$pid" "${spid:--}" "$sshok"
  done < "$STATE/hosts.tsv"
  rm -rf "$tmp"
  return $bad
}

cmd_exec() {
  [ $# -ge 2 ] || die "usage: lab.sh exec HOST CMD [ARG...]"
  local h=${1#labhost}; shift
  [[ "$h" =~ ^[0-9]+$ ]] || die "bad host name; use labhostN or N"
  need_root; resolve_state; load_id
  [ -n "$LAB_ID" ] || die "lab is not up (state $STATE)"
  local pid
  pid=$(init_pid "$(hostdir "$h")") || die "labhost$h is not running (see 'lab.sh status')"
  exec nsenter --target "$pid" --mount --uts --ipc --net --pid --wd=/root -- \
    env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 PATH="$SYS_PATH" "$@"
}

cmd_inventory() {
  resolve_state
  [ -f "$STATE/inventory.ini" ] || die "no inventory: the lab is not up (run lab.sh up N)"
  echo "$STATE/inventory.ini"
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case "$cmd" in
  up) cmd_up "$@" ;;
  down) [ $# -eq 0 ] || die "usage: lab.sh down"; cmd_down ;;
  status) cmd_status ;;
  inventory) cmd_inventory ;;
  statedir) resolve_state; echo "$STATE" ;;
  exec) cmd_exec "$@" ;;
  -h|--help|help) usage ;;
  *) die "unknown command '$cmd' (up, down, status, inventory, statedir, exec)" ;;
esac
