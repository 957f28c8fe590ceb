#!/usr/bin/env bash
# The benchmark on a real CephFS (the project's Ceph lab): this project against the plain script on the
# same data in the same run, the source on ceph-fuse, the backups on local disk. Started by
# `bench/run.sh --ceph`; needs root (the lab).
#
# Cases (medians of REPS, the two alternating):
#   full          first full backup of 4 x FILES files
#   nochange      a run with no change, 4 x FILES files
#   nochange-big  the same with 4 x 3*FILES files, ours only (it should stay flat: ~ the nochange time)
#   newdir        one new run directory of 200 files added to one source (the experiment's daily pattern)
#   changed       1% of the files rewritten all over the tree
# "ours" is the run as the daemon pays it (the report's start to end: a scheduled run in the daemon has no
# JVM to start); "ours+jvm" is `bin/backup --once`, wall clock. The last line:
#   ratio_ceph_full= ratio_ceph_nochange= ratio_ceph_flat= ratio_ceph_newdir= ratio_ceph_changed=
# (ratio_ceph_flat: ours at 4 x 3*FILES over ours at 4 x FILES; the others: ours over the script's).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "$(locale charmap 2>/dev/null)" in UTF-8) ;; *) export LC_ALL=C.UTF-8 ;; esac
[ "$(id -u)" = 0 ] || { echo "bench --ceph: needs root (the Ceph lab)" >&2; exit 2; }
FILES=${BENCH_FILES:-5000}
REPS=${REPS:-3}
MARGIN=${BENCH_MARGIN:-30s}
W=${BENCH_DIR:-/tmp/ceph-backup-bench-ceph}
LAB=$W/lab MNT=$W/mnt
say() { printf '[bench-ceph %s] %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

src/test/cephlab/cephlab.sh down "$LAB" >/dev/null 2>&1 || true
rm -rf "$W"; mkdir -p "$W"
src/test/cephlab/cephlab.sh up "$LAB" "$MNT" >&2
trap 'src/test/cephlab/cephlab.sh down "$LAB" >&2 || true' EXIT
RESULTS=$W/results.tsv
: > "$RESULTS"
bin/backup --help >/dev/null

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }
median() {
    awk -F'\t' -v c="$1" -v w="$2" '$1==c && $2==w {print $3}' "$RESULTS" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

config() {   # config DEST SOURCES...
    local dest=$1; shift
    mkdir -p "$dest"
    cat > "$dest/backup.properties" <<PROPS
backup.sources = $(IFS=,; echo "$*")
backup.main-root = $dest/main
backup.deleted-root = $dest/deleted
backup.log-dir = $dest/logs
backup.lock-file = $dest/backup.lock
backup.exclude-file =
backup.user = $(id -un)
backup.max-log-files = 100000
backup.rctime-margin = $MARGIN
rclone.checksum = true
ceph.mount-point = $MNT
ceph.fstab = $LAB/fstab
ceph.status-command =
PROPS
}

ours() {     # ours CASE DEST: records ours (in-run) and ours+jvm
    local t0 t1 report
    t0=$(now)
    bin/backup --once --config "$2/backup.properties" > "$2/last-run.out" 2>&1 || say "ours failed: $(tail -3 "$2/last-run.out")"
    t1=$(now)
    record "$1" "ours+jvm" "$(secs "$t0" "$t1")"
    report=$(ls -t "$2"/logs/*.json | head -1)
    record "$1" ours "$(python3 -c "
import json, datetime
r = json.load(open('$report'))
f = lambda s: datetime.datetime.fromisoformat(s)
print(f'{(f(r[\"end\"]) - f(r[\"start\"])).total_seconds():.3f}')")"
    grep -ho '"sync" : "[a-z]*"' "$report" | sort | uniq -c | tr '\n' ' ' >&2; echo >&2
}

script() {   # script CASE DEST SOURCES...
    local c=$1 dest=$2 t0 t1; shift 2
    mkdir -p "$dest"
    t0=$(now)
    bench/plain.sh "$dest/main" "$dest/deleted" yes "$@" || say "plain.sh failed"
    t1=$(now)
    record "$c" script "$(secs "$t0" "$t1")"
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

tree() {     # tree NAME FILES SEED: 4 sources on the CephFS
    python3 bench/gen.py create "$MNT/$1" --dirs 4 --files "$2" --large 1 --seed "$3" >&2
    echo "$MNT/$1/d0" "$MNT/$1/d1" "$MNT/$1/d2" "$MNT/$1/d3"
}

settle() {   # the margin: the change detection looks at changes newer than the last run's start minus it
    say "waiting out the margin ($MARGIN) after writing, as a night would"
    sleep "$(python3 -c "import re; m=re.fullmatch(r'(\d+)s','$MARGIN'); print(int(m.group(1)) + 5 if m else 65)")"
}

say "data: 4 directories x $FILES files on $MNT"
read -r -a SMALL <<<"$(tree small "$FILES" 42)"
settle
for rep in $(seq "$REPS"); do      # 1. first full backup: fresh destinations each time
    for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
        if [ "$who" = ours ]; then rm -rf "$W/full-ours"; config "$W/full-ours" "${SMALL[@]}"; ours full "$W/full-ours"
        else rm -rf "$W/full-script"; script full "$W/full-script" "${SMALL[@]}"; fi
    done
done
say "full: ours $(median full ours) s (with the JVM $(median full ours+jvm) s), script $(median full script) s"
settle
both nochange "$W/full-ours" "$W/full-script" "${SMALL[@]}"

# one new run directory of 200 files in one source, each repetition a new one
for rep in $(seq "$REPS"); do
    python3 - "$MNT/small/d1/run-$rep" <<'PY'
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

for rep in $(seq "$REPS"); do      # 1% of the files rewritten all over the tree
    python3 bench/gen.py mutate "$MNT/small" --percent 1 --seed $((rep * 10)) >&2
    for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
        if [ "$who" = ours ]; then ours changed "$W/full-ours"; else script changed "$W/full-script" "${SMALL[@]}"; fi
    done
done
say "changed: ours $(median changed ours) s, script $(median changed script) s"

say "data: 4 directories x $((FILES * 3)) files (ours only: the case asks whether our time stays flat)"
read -r -a BIG <<<"$(python3 bench/gen.py create "$MNT/big" --dirs 4 --files $((FILES * 3)) --large 0 --seed 43 >&2
    echo "$MNT/big/d0" "$MNT/big/d1" "$MNT/big/d2" "$MNT/big/d3")"
settle
config "$W/big-ours" "${BIG[@]}"
ours big-full "$W/big-ours"
settle
for rep in $(seq "$REPS"); do ours nochange-big "$W/big-ours"; done
say "nochange-big: ours $(median nochange-big ours) s (with the JVM $(median nochange-big ours+jvm) s)"

echo
printf '%-14s %10s %10s %10s %8s\n' case ours ours+jvm script ratio
for c in full nochange nochange-big newdir changed; do
    o=$(median "$c" ours); j=$(median "$c" ours+jvm); s=$(median "$c" script)
    printf '%-14s %9ss %9ss %9ss %8s\n' "$c" "$o" "$j" "${s:--}" "$([ -n "$s" ] && python3 -c "print(f'{$o / $s:.3f}')" || echo -)"
done
r() { python3 -c "print(f'{$(median "$1" ours) / $(median "$2" "$3"):.3f}')"; }
echo "ratio_ceph_full=$(r full full script) ratio_ceph_nochange=$(r nochange nochange script)" \
    "ratio_ceph_flat=$(r nochange-big nochange ours) ratio_ceph_newdir=$(r newdir newdir script)" \
    "ratio_ceph_changed=$(r changed changed script)"
