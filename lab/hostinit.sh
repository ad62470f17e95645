#!/usr/bin/env bash
# PID 1 of one lab host. Started by lab.sh as:
#   ip netns exec NS unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private hostinit.sh
# so it runs in the host's own network, mount, UTS, IPC and PID namespaces. It builds the host's private
# filesystem view, starts sshd (whose children inherit every namespace), then reaps orphans forever.
# Killing it (SIGKILL from the root namespace) ends every process of the host and drops its mounts.
set -euo pipefail

: "${LAB_HOSTNAME:?}" "${LAB_ADDR:?}" "${LAB_HOSTDIR:?}" "${LAB_STATE:?}" "${LAB_NOJAVA:?}"
H=$LAB_HOSTDIR
die() { echo "hostinit[$LAB_HOSTNAME]: $*" >&2; exit 1; }
[ "$$" = 1 ] || die "must run as PID 1 of a new PID namespace (got PID $$)"

overlay() { # overlay TARGET NAME: writable per-host view of TARGET, changes kept in $H/NAME.upper
  mkdir -p "$H/$2.upper" "$H/$2.work"
  mount -t overlay "lab-$2" -o "lowerdir=$1,upperdir=$H/$2.upper,workdir=$H/$2.work" "$1"
}
bind() { mkdir -p "$1"; mount --bind "$1" "$2"; }

# Writable copies of the system trees a host changes (users, configs, packages' state, logs).
overlay /etc etc
overlay /var var
# Plain private directories.
bind "$H/opt" /opt
bind "$H/home" /home
bind "$H/root" /root
bind "$H/tmp" /tmp
chmod 1777 "$H/tmp"
# The root namespace's /run/netns holds every lab host's network namespace: drop this host's copy of it
# (so it does not pin the others), then give the host its own /run.
umount -R -l /run/netns 2>/dev/null || true
mount -t tmpfs -o mode=0755,nosuid,nodev lab-run /run
mount -t tmpfs -o mode=1777,nosuid,nodev lab-shm /dev/shm
mkdir -p /run/sshd /run/lock /run/user /var/tmp
chmod 1777 /run/lock /var/tmp
if getent passwd postgres >/dev/null; then
  install -d -m 2775 -o postgres -g postgres /run/postgresql
else
  install -d -m 2775 /run/postgresql
fi
mount --bind "$LAB_STATE/etc_hosts" /etc/hosts
mount -o remount,bind,ro /etc/hosts

# /usr too: a package installed inside a host (apt-get writes /usr, /etc and /var/lib/dpkg) stays in that host.
mkdir -p "$H/usr.upper"
if [ "$LAB_NOJAVA" = 1 ]; then
  # Hide every JVM: whiteouts (0/0 character devices) for /usr/lib/jvm and for the commands leading into it.
  for d in bin sbin local/bin local/sbin; do
    [ -d "/usr/$d" ] || continue
    mapfile -t links < <(find "/usr/$d" -maxdepth 1 \( -type l \( -lname '/etc/alternatives/*' -o -lname '*/jvm/*' \) -o -name 'java*' \))
    [ ${#links[@]} -gt 0 ] || continue
    mapfile -t targets < <(readlink -m -- "${links[@]}")   # one resolved path per link, in order
    for k in "${!links[@]}"; do
      case "${targets[$k]}" in
        /usr/lib/jvm/*) f=${links[$k]##*/}; mkdir -p "$H/usr.upper/$d"; rm -f "$H/usr.upper/$d/$f"; mknod "$H/usr.upper/$d/$f" c 0 0 ;;
      esac
    done
  done
  mkdir -p "$H/usr.upper/lib"; rm -rf "$H/usr.upper/lib/jvm"; mknod "$H/usr.upper/lib/jvm" c 0 0
fi
overlay /usr usr
if [ "$LAB_NOJAVA" = 1 ]; then
  hash -r
  ! command -v java >/dev/null 2>&1 || die "java is still visible at $(command -v java)"
  [ ! -e /usr/lib/jvm ] || die "/usr/lib/jvm is still visible"
fi
# No IPv6 on the lab link (lo keeps ::1).
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 2>/dev/null || true

hostname "$LAB_HOSTNAME"
echo "$LAB_HOSTNAME" > /etc/hostname

# Accounts, in this host's /etc only: root (key login) and drover (key login, passwordless sudo).
# With UsePAM no, sshd refuses accounts whose password field starts with '!': use '*' (no password, not locked).
usermod -p '*' root
if ! getent passwd drover >/dev/null; then
  useradd -m -s /bin/bash -p '*' -U drover
fi
install -d -m 0755 /etc/sudoers.d
echo 'drover ALL=(ALL:ALL) NOPASSWD: ALL' > /etc/sudoers.d/drover
chmod 0440 /etc/sudoers.d/drover
chmod 0700 /root
install -d -m 0700 /root/.ssh
install -m 0600 "$LAB_STATE/id_ed25519.pub" /root/.ssh/authorized_keys
install -d -m 0700 -o drover -g drover /home/drover/.ssh
install -m 0600 -o drover -g drover "$LAB_STATE/id_ed25519.pub" /home/drover/.ssh/authorized_keys

# sshd with this host's own keys and config (the machine's /etc/ssh/sshd_config is not used).
install -d -m 0755 /etc/ssh/lab
for t in ed25519 ecdsa; do
  install -m 0600 "$H/ssh_host_${t}_key" "/etc/ssh/lab/ssh_host_${t}_key"
  install -m 0644 "$H/ssh_host_${t}_key.pub" "/etc/ssh/lab/ssh_host_${t}_key.pub"
done
cat > /etc/ssh/lab/sshd_config <<EOF
# Written by lab/hostinit.sh for $LAB_HOSTNAME.
ListenAddress $LAB_ADDR:22
ListenAddress 127.0.0.1:22
HostKey /etc/ssh/lab/ssh_host_ed25519_key
HostKey /etc/ssh/lab/ssh_host_ecdsa_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
MaxStartups 200:30:400
MaxSessions 200
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
rm -f "$H/sshd.log"
/usr/sbin/sshd -D -f /etc/ssh/lab/sshd_config -E "$H/sshd.log" &
echo "hostinit[$LAB_HOSTNAME]: sshd started (pid $! in the host's PID namespace)"

# PID 1 duties: reap every child, including orphans of daemons started over ssh. As PID 1, signals
# without a handler are ignored from inside the namespace; lab.sh down ends the host with SIGKILL.
while :; do
  wait -n 2>/dev/null || sleep 1
done
