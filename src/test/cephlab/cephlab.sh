#!/usr/bin/env bash
# A throwaway single-node CephFS for the integration tests, and an sshd for the health check.
#
#   cephlab.sh install              install the Debian packages it needs (if missing)
#   cephlab.sh up DIR MNT           1 mon, 1 mgr, 1 OSD (memstore), 2 MDS (active, standby), a CephFS on 127.0.0.1,
#                                   mounted at MNT with ceph-fuse; writes DIR/fstab with MNT's entry
#   cephlab.sh sshd DIR PORT        an sshd on 127.0.0.1:PORT for root with a key of its own; writes
#                                   DIR/status-command: `ceph status` over that ssh, one line
#   cephlab.sh down DIR             unmount MNT, stop exactly the processes started here, remove DIR
#
# Everything lives in DIR (config, data, logs, sockets, pid files); nothing goes to /etc/ceph.
# Daemons run in the foreground (-f) in their own session, so the pid recorded is theirs for life;
# teardown stops only those pids (and, as a safety net, ceph processes naming DIR's config), never
# processes by name. Needs root (ceph-fuse, mount, sshd).
set -euo pipefail

MON_V2_PORT=${MON_V2_PORT:-13300}
MON_V1_PORT=${MON_V1_PORT:-16789}
UP_TIMEOUT=${UP_TIMEOUT:-120}
PACKAGES=(ceph-mon ceph-mgr ceph-osd ceph-mds ceph-common ceph-fuse uuid-runtime openssh-server openssh-client faketime)

say() { printf '[cephlab %s] %s\n' "$(date +%T)" "$*"; }
die() { echo "cephlab: $*" >&2; exit 1; }

install() {
    local missing=()
    for b in ceph-mon ceph-mgr ceph-osd ceph-mds ceph ceph-fuse uuidgen /usr/sbin/sshd ssh ssh-keygen faketime; do
        command -v "$b" >/dev/null 2>&1 || missing+=("$b")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing ${PACKAGES[*]} (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

ceph_() { ceph -c "$DIR/ceph.conf" --connect-timeout 20 "$@"; }

start_daemon() {   # start_daemon TYPE ID
    local t=$1 id=$2
    setsid "ceph-$t" -c "$DIR/ceph.conf" -f -i "$id" </dev/null >>"$DIR/log/$t.$id.out" 2>&1 &
    echo $! > "$DIR/run/$t.$id.pid"
    sleep 0.3
    kill -0 "$(cat "$DIR/run/$t.$id.pid")" 2>/dev/null || die "ceph-$t.$id exited at once: see $DIR/log/"
}

wait_for() {   # wait_for WHAT COMMAND...
    local what=$1; shift
    for _ in $(seq "$UP_TIMEOUT"); do "$@" && return 0; sleep 1; done
    die "$what not ready after ${UP_TIMEOUT}s: see $DIR/log/"
}

osd_up() { [ "$(ceph_ osd stat -f json | python3 -c 'import json,sys; print(json.load(sys.stdin)["num_up_osds"])')" -ge 1 ]; }
mds_active() {
    ceph_ fs status cephfs -f json 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if any(m.get("state") == "active" for m in json.load(sys.stdin).get("mdsmap", [])) else 1)'
}
mds_standby() {
    ceph_ fs status cephfs -f json 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if any(m.get("state") == "standby" for m in json.load(sys.stdin).get("mdsmap", [])) else 1)'
}
pgs_clean() {
    ceph_ status -f json | python3 -c '
import json, sys
d = json.load(sys.stdin); pg = d["pgmap"]
clean = sum(s["count"] for s in pg.get("pgs_by_state", []) if s["state_name"] == "active+clean")
sys.exit(0 if clean == pg["num_pgs"] and d["health"]["status"] == "HEALTH_OK" else 1)'
}

up() {
    [ "$(id -u)" = 0 ] || die "run as root"
    mountpoint -q "$MNT" 2>/dev/null && die "$MNT is already a mount point"
    [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ] && die "$DIR is not empty"
    mkdir -p "$DIR"/{run,log,crash,mon/a,mgr/x,osd/0,mds/a,mds/b} "$MNT"
    DIR=$(cd "$DIR" && pwd); MNT=$(cd "$MNT" && pwd)
    touch "$DIR/.cephlab"
    echo "$MNT" > "$DIR/mountpoint"
    local fsid; fsid=$(uuidgen)
    cat > "$DIR/ceph.conf" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_V1_PORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = $DIR/keyring
run dir = $DIR/run
crash dir = $DIR/crash
admin socket = $DIR/run/\$name.\$pid.asok
log file = $DIR/log/\$name.log
mon cluster log file = $DIR/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon allow pool delete = true
osd crush chooseleaf type = 0
mon data avail warn = 2
mon data avail crit = 1
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
mgr initial modules = iostat
# POSIX ACLs through ceph-fuse (the kernel client: the mount option acl), as sites that share folders use them
client acl type = posix_acl
[mon]
mon data = $DIR/mon/\$id
[mgr]
mgr data = $DIR/mgr/\$id
[osd]
osd data = $DIR/osd/\$id
osd objectstore = memstore
memstore device bytes = ${OSD_BYTES:-2147483648}
osd memory target = 1073741824
[mds]
mds data = $DIR/mds/\$id
CONF
    ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool "$DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
        --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_V2_PORT,v1:127.0.0.1:$MON_V1_PORT]" \
        "$DIR/monmap" >/dev/null
    ceph-mon -c "$DIR/ceph.conf" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
    start_daemon mon a
    ceph_ status >/dev/null
    say "mon up"
    start_daemon mgr x
    local uuid id; uuid=$(uuidgen)
    id=$(ceph_ osd new "$uuid")
    [ "$id" = 0 ] || die "unexpected OSD id $id"
    ceph-osd -c "$DIR/ceph.conf" -i 0 --mkfs --osd-uuid "$uuid" >"$DIR/log/osd.mkfs.log" 2>&1
    start_daemon osd 0
    wait_for "osd.0" osd_up
    say "osd up"
    ceph_ osd pool create cephfs_metadata 8 8 >/dev/null 2>&1
    ceph_ osd pool create cephfs_data 16 16 >/dev/null 2>&1
    ceph_ fs new cephfs cephfs_metadata cephfs_data >/dev/null 2>&1
    ceph_ fs set cephfs standby_count_wanted 0 >/dev/null 2>&1
    start_daemon mds a
    wait_for "mds.a" mds_active
    start_daemon mds b             # a standby, for the tests of an MDS failover
    wait_for "mds.b standby" mds_standby
    say "mds active, one standby"
    # the fstab entry the tests use (and that `mount -T DIR/fstab MNT` mounts through mount.fuse.ceph)
    echo "none $MNT fuse.ceph ceph.id=admin,ceph.conf=$DIR/ceph.conf,ceph.client_mountpoint=/,_netdev,defaults 0 0" \
        > "$DIR/fstab"
    mount -T "$DIR/fstab" "$MNT" >"$DIR/log/mount.out" 2>&1 || { cat "$DIR/log/mount.out" >&2; die "mount failed"; }
    wait_for "the mount" mountpoint -q "$MNT"
    wait_for "HEALTH_OK" pgs_clean
    say "CephFS mounted at $MNT, HEALTH_OK"
}

sshd_up() {
    [ -f "$DIR/.cephlab" ] || die "$DIR is not a cephlab folder"
    mkdir -p "$DIR/ssh" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$DIR/ssh/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$DIR/ssh/client_key"
    cp "$DIR/ssh/client_key.pub" "$DIR/ssh/authorized_keys"
    chmod 700 "$DIR/ssh"; chmod 600 "$DIR/ssh/authorized_keys"
    cat > "$DIR/ssh/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/ssh/host_key
AuthorizedKeysFile $DIR/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $DIR/run/sshd.pid
CONF
    setsid /usr/sbin/sshd -D -e -f "$DIR/ssh/sshd_config" </dev/null >>"$DIR/log/sshd.log" 2>&1 &
    echo $! > "$DIR/run/sshd.pid.own"
    echo "ssh -i $DIR/ssh/client_key -p $PORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" \
         "-o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR root@127.0.0.1 ceph -c $DIR/ceph.conf status" \
         > "$DIR/status-command"
    for _ in $(seq 50); do
        # shellcheck disable=SC2046
        $(cat "$DIR/status-command") >/dev/null 2>&1 && { say "sshd on 127.0.0.1:$PORT"; return 0; }
        sleep 0.2
    done
    die "sshd does not answer: see $DIR/log/sshd.log"
}

# a pid of ours: alive, and a ceph daemon, ceph-fuse or sshd (guards against a reused pid)
ours() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
        */ceph-mon|*/ceph-mgr|*/ceph-osd|*/ceph-mds|*/ceph-fuse|*/sshd) return 0 ;;
    esac
    return 1
}

stop_pid() {   # TERM, up to 15 s, then KILL
    local pid=$1
    ours "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

down() {
    [ -d "$DIR" ] || return 0
    DIR=$(cd "$DIR" && pwd)
    [ -f "$DIR/.cephlab" ] || die "$DIR has no .cephlab marker: not touching it"
    local mnt; mnt=$(cat "$DIR/mountpoint" 2>/dev/null || true)
    if [ -n "$mnt" ] && mountpoint -q "$mnt"; then
        umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
    fi
    # other clients the tests mounted beside it (CephLab.mountSkewed, CephLab.mountSecond)
    for other in "$DIR-skewed" "$DIR-second"; do
        if mountpoint -q "$other" 2>/dev/null; then
            umount "$other" 2>/dev/null || umount -l "$other" || true
        fi
        rmdir "$other" 2>/dev/null || true
    done
    # ceph-fuse started by mount.fuse.ceph daemonises: find it by DIR's config on its command line
    for p in /proc/[0-9]*; do
        local pid=${p#/proc/}
        ours "$pid" || continue
        if tr '\0' '\n' < "$p/cmdline" 2>/dev/null | grep -qF "$DIR/"; then
            case "$(readlink "$p/exe")" in */ceph-fuse) stop_pid "$pid" ;; esac
        fi
    done
    [ -f "$DIR/run/sshd.pid.own" ] && stop_pid "$(cat "$DIR/run/sshd.pid.own")"
    for f in "$DIR"/run/mds.*.pid "$DIR"/run/osd.*.pid "$DIR"/run/mgr.*.pid "$DIR"/run/mon.*.pid; do
        [ -f "$f" ] && stop_pid "$(cat "$f")"
    done
    # safety net: a ceph process still naming DIR's config (a daemon that re-forked)
    for p in /proc/[0-9]*; do
        local pid=${p#/proc/}
        ours "$pid" || continue
        tr '\0' '\n' < "$p/cmdline" 2>/dev/null | grep -qxF "$DIR/ceph.conf" && stop_pid "$pid"
    done
    if [ -n "$mnt" ] && mountpoint -q "$mnt"; then
        die "$mnt is still mounted: not removing $DIR"
    fi
    rm -rf --one-file-system "$DIR"
    [ -n "$mnt" ] && rmdir "$mnt" 2>/dev/null || true
    say "torn down"
}

case "${1:-}" in
    install) install ;;
    up) DIR=${2:?DIR}; MNT=${3:?MNT}; install; up ;;
    sshd) DIR=${2:?DIR}; PORT=${3:?PORT}; sshd_up ;;
    down) DIR=${2:?DIR}; down ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
esac
