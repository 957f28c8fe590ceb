#!/usr/bin/env bash
# The benchmark on a real CephFS (the project's Ceph lab): this project against the plain script on the
# same data in the same run, the source on ceph-fuse, the backups on local disk. Started by
# `bench/run.sh --ceph`; needs root (the lab).
#
# Cases (medians of REPS, the two alternating):
#   full          first full backup of 4 x FILES files
#   nochange      a run with no change, 4 x FILES files
#   newdir        one new run directory of 200 files added to one source (the experiment's daily pattern)
#   changed       1% of the files rewritten all over the tree
#   fullsync      the weekly safety net: --once --full of an up-to-date mirror, against the script's run
#   rerun         a run right after a run, every file inside the margin (backup.rctime-margin = 1h, the tree
#                 written minutes before): the cost model's case (the first rerun measures the guided copy)
#   flat          nochange-big: a run with no change at 4 x 3*FILES files, ours only (it should stay flat:
#                 ~ the nochange time)
# BENCH_PARALLELISM sets this project's backup.parallelism (default 4); BENCH_SNAPSHOTS its backup.snapshots
# (default auto: each directory read from a snapshot of its own; off: from the live tree, as the script reads).
# BENCH_CASES selects some of them (default all, e.g. BENCH_CASES="nochange newdir flat"). nochange,
# newdir and changed start from a full backup of each tool: without "full" it is made once, not REPS
# times, and not counted.
# The bench writes its data (the trees, the new directories, the 1% changes) through a second ceph-fuse
# client of the same file system, as the cluster's writers are other clients than the backup host's;
# BENCH_WRITER=same writes through the backup's own mount instead (as the first 2026-12-02 figures of
# docs/BENCHMARKS.md were measured).
# "ours" is the run as the daemon pays it (the report's start to end: a scheduled run in the daemon has no
# JVM to start); "ours+jvm" is `bin/backup --once`, wall clock. The last line (- for a case not run):
#   ratio_ceph_full= ratio_ceph_nochange= ratio_ceph_flat= ratio_ceph_newdir= ratio_ceph_changed=
#   ratio_ceph_fullsync= ratio_ceph_rerun=
# (ratio_ceph_flat: ours at 4 x 3*FILES over ours at 4 x FILES; the others: ours over the script's).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
case "$(locale charmap 2>/dev/null)" in UTF-8) ;; *) export LC_ALL=C.UTF-8 ;; esac
[ "$(id -u)" = 0 ] || { echo "bench --ceph: needs root (the Ceph lab)" >&2; exit 2; }
FILES=${BENCH_FILES:-5000}
REPS=${REPS:-3}
MARGIN=${BENCH_MARGIN:-30s}
CASES=" ${BENCH_CASES:-full nochange fullsync rerun newdir changed flat} "
W=${BENCH_DIR:-/tmp/ceph-backup-bench-ceph}
LAB=$W/lab MNT=$W/mnt
# the writers' client: at the path cephlab.sh down unmounts as a lab's second client, so that a bench
# killed before its trap still leaves no mount behind
WRITER=$LAB-skewed
for c in $CASES; do
    case "$c" in full|nochange|fullsync|rerun|newdir|changed|flat) ;; *) echo "bench --ceph: unknown case $c in BENCH_CASES" >&2; exit 2 ;; esac
done
case "${BENCH_WRITER:-second}" in second|same) ;; *) echo "bench --ceph: BENCH_WRITER is second or same" >&2; exit 2 ;; esac
want() { [[ "$CASES" == *" $1 "* ]]; }
say() { printf '[bench-ceph %s] %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

unmount_writer() { if mountpoint -q "$WRITER" 2>/dev/null; then umount "$WRITER" 2>/dev/null || umount -l "$WRITER" || true; fi; }
src/test/cephlab/cephlab.sh down "$LAB" >/dev/null 2>&1 || true
unmount_writer
rm -rf --one-file-system "$W"; mkdir -p "$W"
src/test/cephlab/cephlab.sh up "$LAB" "$MNT" >&2
trap 'unmount_writer; src/test/cephlab/cephlab.sh down "$LAB" >&2 || true' EXIT
if [ "${BENCH_WRITER:-second}" = second ]; then
    mkdir -p "$WRITER"
    # ceph-fuse daemonises once mounted; its command line names the lab's config, so cephlab.sh down
    # would stop it too
    ceph-fuse -c "$LAB/ceph.conf" --id admin --client-mountpoint=/ "$WRITER" >"$LAB/log/writer-client.out" 2>&1 \
        || { cat "$LAB/log/writer-client.out" >&2; exit 1; }
    for _ in $(seq 60); do mountpoint -q "$WRITER" && break; sleep 1; done
    mountpoint -q "$WRITER" || { echo "bench --ceph: the writers' client did not mount $WRITER" >&2; exit 1; }
    say "the bench writes through a second ceph-fuse client at $WRITER; the backups read $MNT"
else
    WRITER=$MNT
    say "the bench writes through the backup's own client at $MNT"
fi
RESULTS=$W/results.tsv
: > "$RESULTS"
bin/backup --help >/dev/null

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }
median() {
    awk -F'\t' -v c="$1" -v w="$2" '$1==c && $2==w {print $3}' "$RESULTS" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else if (NR) printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}
all() { awk -F'\t' -v c="$1" -v w="$2" '$1==c && $2==w {printf "%s%s", s, $3; s=" "}' "$RESULTS"; }

config() {   # config DEST SOURCES...  (MARGIN=... for another margin)
    local dest=$1; shift
    bench_config "$dest" "$@"
    printf '%s\n' "backup.rctime-margin = ${CONFIG_MARGIN:-$MARGIN}" "rclone.checksum = true" "ceph.mount-point = $MNT" \
        "ceph.fstab = $LAB/fstab" "ceph.status-command =" "ceph.admin-socket-dir = $LAB/run" >> "$dest/backup.properties"
    if [ -n "${BENCH_SNAPSHOTS:-}" ]; then echo "backup.snapshots = $BENCH_SNAPSHOTS" >> "$dest/backup.properties"; fi
}

ours() {     # ours CASE DEST [OPTIONS...]: records ours (in-run) and ours+jvm
    local t0 t1 report c=$1 dest=$2; shift 2
    set -- "$c" "$dest" "$@"
    t0=$(now)
    bin/backup --once --config "$dest/backup.properties" -Dbackup.parallelism="${BENCH_PARALLELISM:-4}" "${@:3}" \
        > "$dest/last-run.out" 2>&1 || say "ours failed: $(tail -3 "$dest/last-run.out")"
    t1=$(now)
    record "$1" "ours+jvm" "$(secs "$t0" "$t1")"
    report=$(ls -t "$2"/logs/*.json | head -1)
    record "$1" ours "$(python3 -c "
import json, datetime
r = json.load(open('$report'))
f = lambda s: datetime.datetime.fromisoformat(s)
print(f'{(f(r[\"end\"]) - f(r[\"start\"])).total_seconds():.3f}')")"
    say "$1: ours $(tail -1 "$RESULTS" | cut -f3) s ($(basename "$report"))"
    # the night in units to plan with: entries examined, entries a second, the MDS requests the syncs made
    python3 -c "
import json
r = json.load(open('$report'))
n = sum(d.get('entriesExamined') or 0 for d in r['directories'])
s = max([d.get('durationSeconds') or 0 for d in r['directories']] + [0.001])
print(f'{n}\t{n / s:.0f}\t{r.get(\"mdsRequests\", \"\")}')" | {
        IFS=$'\t' read -r examined rate mds
        record "$1" entries "$examined"; record "$1" mds "${mds:-0}"
        say "$1: $examined entries examined ($rate a second in the slowest directory's time), ${mds:-no} MDS requests"
    }
    grep -ho '"sync" : "[a-z]*"' "$report" | sort | uniq -c | tr '\n' ' ' >&2
    { grep -ho '"syncReason" : "the cost model[^"]*' "$report" || true; } | head -1 | cut -c1-160 >&2; echo >&2
}

script() {   # script CASE DEST SOURCES...
    local c=$1 dest=$2 t0 t1; shift 2
    mkdir -p "$dest"
    t0=$(now)
    bench/plain.sh "$dest/main" "$dest/deleted" yes "$@" || say "plain.sh failed"
    t1=$(now)
    record "$c" script "$(secs "$t0" "$t1")"
    say "$c: script $(tail -1 "$RESULTS" | cut -f3) s"
}

both() {     # both CASE OURS_DEST SCRIPT_DEST SOURCES...: alternating, REPS times
    local c=$1 od=$2 sd=$3; shift 3
    for rep in $(seq "$REPS"); do
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then ours "$c" "$od"; else script "$c" "$sd" "$@"; fi
        done
    done
    say "$c: ours $(median "$c" ours) s (with the JVM $(median "$c" ours+jvm) s), script $(median "$c" script) s"
}

tree() {     # tree NAME FILES SEED: 4 sources on the CephFS, written through the writers' client
    python3 bench/gen.py create "$WRITER/$1" --dirs 4 --files "$2" --large 1 --seed "$3" >&2
    echo "$MNT/$1/d0" "$MNT/$1/d1" "$MNT/$1/d2" "$MNT/$1/d3"
}

settle() {   # the margin: the change detection looks at changes newer than the last run's start minus it
    say "waiting out the margin ($MARGIN) after writing, as a night would"
    sleep "$(python3 -c "import re; m=re.fullmatch(r'(\d+)s','$MARGIN'); print(int(m.group(1)) + 5 if m else 65)")"
}

say "cases:$CASES(REPS=$REPS, FILES=$FILES)"
if want full || want nochange || want fullsync || want newdir || want changed; then
    say "data: 4 directories x $FILES files on $MNT"
    read -r -a SMALL <<<"$(tree small "$FILES" 42)"
    settle
    # 1. first full backup: fresh destinations each time; once, as the other cases' start, when not a case
    fulls=$(want full && echo "$REPS" || echo 1)
    fc=$(want full && echo full || echo full-setup)
    for rep in $(seq "$fulls"); do
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then rm -rf "$W/full-ours"; config "$W/full-ours" "${SMALL[@]}"; ours "$fc" "$W/full-ours"
            else rm -rf "$W/full-script"; script "$fc" "$W/full-script" "${SMALL[@]}"; fi
        done
    done
    say "$fc: ours $(median "$fc" ours) s (with the JVM $(median "$fc" ours+jvm) s), script $(median "$fc" script) s"
    settle
fi
if want nochange; then
    both nochange "$W/full-ours" "$W/full-script" "${SMALL[@]}"
fi

if want fullsync; then   # the weekly safety net on an up-to-date mirror
    for rep in $(seq "$REPS"); do
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then ours fullsync "$W/full-ours" --full; else script fullsync "$W/full-script" "${SMALL[@]}"; fi
        done
    done
    say "fullsync: ours $(median fullsync ours) s, script $(median fullsync script) s"
fi

if want rerun; then      # every file inside a 1 h margin: a tree written now, backed up, then run again at once
    say "data: 4 directories x $FILES files written now (rerun: backup.rctime-margin = 1h)"
    read -r -a FRESH <<<"$(tree fresh "$FILES" 44)"
    rm -rf "$W/rerun-ours" "$W/rerun-script"
    CONFIG_MARGIN=1h config "$W/rerun-ours" "${FRESH[@]}"
    ours rerun-setup "$W/rerun-ours"
    script rerun-setup "$W/rerun-script" "${FRESH[@]}"
    both rerun "$W/rerun-ours" "$W/rerun-script" "${FRESH[@]}"
fi

if want newdir; then
    # one new run directory of 200 files in one source, each repetition a new one
    for rep in $(seq "$REPS"); do
        python3 - "$WRITER/small/d1/run-$rep" <<'PY'
import os, random, sys
d = sys.argv[1]; os.makedirs(d); rnd = random.Random(len(d))
for i in range(200):
    with open(os.path.join(d, f"event-{i:04d}.dat"), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(1000, 60000)))
PY
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then ours newdir "$W/full-ours"; else script newdir "$W/full-script" "${SMALL[@]}"; fi
        done
    done
    say "newdir: ours $(median newdir ours) s, script $(median newdir script) s"
fi

if want changed; then
    for rep in $(seq "$REPS"); do      # 1% of the files rewritten all over the tree
        python3 bench/gen.py mutate "$WRITER/small" --percent 1 --seed $((rep * 10)) >&2
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then ours changed "$W/full-ours"; else script changed "$W/full-script" "${SMALL[@]}"; fi
        done
    done
    say "changed: ours $(median changed ours) s, script $(median changed script) s"
fi

if want flat; then
    say "data: 4 directories x $((FILES * 3)) files (ours only: the case asks whether our time stays flat)"
    python3 bench/gen.py create "$WRITER/big" --dirs 4 --files $((FILES * 3)) --large 0 --seed 43 >&2
    BIG=("$MNT/big/d0" "$MNT/big/d1" "$MNT/big/d2" "$MNT/big/d3")
    settle
    config "$W/big-ours" "${BIG[@]}"
    ours big-full "$W/big-ours"
    settle
    for rep in $(seq "$REPS"); do ours nochange-big "$W/big-ours"; done
    say "nochange-big: ours $(median nochange-big ours) s (with the JVM $(median nochange-big ours+jvm) s)"
fi

echo
printf '%-14s %10s %10s %10s %8s %10s %8s   %s\n' case ours ours+jvm script ratio entries mds "ours, each repetition"
for c in full-setup full nochange nochange-big fullsync rerun-setup rerun newdir changed; do
    o=$(median "$c" ours); [ -n "$o" ] || continue
    j=$(median "$c" ours+jvm); s=$(median "$c" script)
    printf '%-14s %9ss %9ss %9ss %8s %10s %8s   %s\n' "$c" "$o" "$j" "${s:--}" \
        "$([ -n "$s" ] && python3 -c "print(f'{$o / $s:.3f}')" || echo -)" "$(median "$c" entries)" \
        "$(median "$c" mds)" "$(all "$c" ours)"
done
r() {        # r CASE OVER_CASE OVER_WHO: ours of CASE over OVER_WHO of OVER_CASE, or - when either is missing
    local a b; a=$(median "$1" ours); b=$(median "$2" "$3")
    if [ -n "$a" ] && [ -n "$b" ]; then python3 -c "print(f'{$a / $b:.3f}')"; else echo -; fi
}
echo "ratio_ceph_full=$(r full full script) ratio_ceph_nochange=$(r nochange nochange script)" \
    "ratio_ceph_flat=$(r nochange-big nochange ours) ratio_ceph_newdir=$(r newdir newdir script)" \
    "ratio_ceph_changed=$(r changed changed script) ratio_ceph_fullsync=$(r fullsync fullsync script)" \
    "ratio_ceph_rerun=$(r rerun rerun script)"
