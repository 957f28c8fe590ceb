#!/usr/bin/env bash
# What the content hashes cost (issue 18): this checkout against the same product built without them (a
# git revision, default the commit before verify: 0ce4cd6), and against the plain script, on the same
# data in the same run, alternating; then what `verify` costs: the size-and-time check, and a full
# `verify --read-data` per GB.
#
#   bench/verify.sh [--reps N] [--baseline REV]
#
# Environment: BENCH_DIR (default /tmp/ceph-backup-bench-verify), BENCH_FILES (files per directory,
# default 5000), BENCH_LARGE (large files per directory, 8-64 MiB each, default 4).
# Cases: full (first full backup of 4 directories, fresh destinations), changed (1 % of the files
# changed or deleted, each tool on its own destination), verify (size and time of every stored entry),
# verify-read (every byte re-read and hashed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
case "$(locale charmap 2>/dev/null)" in UTF-8) ;; *) export LC_ALL=C.UTF-8 ;; esac

REPS=3 BASELINE=0ce4cd6
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) REPS=$2; shift ;;
        --baseline) BASELINE=$2; shift ;;
        *) echo "usage: bench/verify.sh [--reps N] [--baseline REV]" >&2; exit 2 ;;
    esac
    shift
done
W=${BENCH_DIR:-/tmp/ceph-backup-bench-verify}
FILES=${BENCH_FILES:-5000} LARGE=${BENCH_LARGE:-4}
rm -rf "$W"; mkdir -p "$W"
RESULTS=$W/results.tsv
: > "$RESULTS"
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }
median() {
    awk -F'\t' -v c="$1" -v w="$2" '$1==c && $2==w {print $3}' "$RESULTS" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

# the two builds, outside the timings: this checkout, and the baseline in a worktree of its own
say "building this checkout and $BASELINE"
bin/backup --help >/dev/null
BASE=$W/baseline
git worktree add --detach -f "$BASE" "$BASELINE" >/dev/null 2>&1
trap 'git worktree remove --force "$BASE" >/dev/null 2>&1 || true' EXIT
"$BASE/bin/backup" --help >/dev/null

config() {   # config WHO DEST SOURCES...
    local who=$1 dest=$2; shift 2
    bench_config "$dest" "$@"
    printf '%s\n' "rclone.checksum = true" "ceph.mount-point =" "ceph.status-command =" >> "$dest/backup.properties"
    # the nightly slice is timed apart (verify below); the baseline has no such key
    [ "$who" = hashes ] && echo "backup.verify-subset = 0" >> "$dest/backup.properties"
    return 0
}
launcher() { [ "$1" = hashes ] && echo bin/backup || echo "$BASE/bin/backup"; }
run() {      # run WHO DEST → seconds
    local who=$1 dest=$2 t0 t1
    t0=$(now)
    if [ "$who" = script ]; then
        bench/plain.sh "$dest/main" "$dest/deleted" yes "${SOURCES[@]}" > "$dest/last-run.out" 2>&1 || say "plain.sh failed"
    else
        "$(launcher "$who")" --once --config "$dest/backup.properties" > "$dest/last-run.out" 2>&1 \
            || say "$who failed: $(tail -3 "$dest/last-run.out")"
    fi
    t1=$(now)
    secs "$t0" "$t1"
}
order() {    # a rotation of the three, one per repetition
    case $(($1 % 3)) in 1) echo "hashes baseline script" ;; 2) echo "baseline script hashes" ;; *) echo "script hashes baseline" ;; esac
}

say "data: 4 directories x $FILES files (+$LARGE large each), seed 42"
python3 bench/gen.py create "$W/src" --dirs 4 --files "$FILES" --large "$LARGE" --seed 42
SOURCES=("$W/src/d0" "$W/src/d1" "$W/src/d2" "$W/src/d3")
BYTES=$(du -sb "$W/src" | cut -f1)
say "$(du -sh "$W/src" | cut -f1) in $(find "$W/src" -type f | wc -l) files"

for rep in $(seq "$REPS"); do
    for who in $(order "$rep"); do
        rm -rf "$W/full-$who"; mkdir -p "$W/full-$who"
        [ "$who" = script ] || config "$who" "$W/full-$who" "${SOURCES[@]}"
        record full "$who" "$(run "$who" "$W/full-$who")"
    done
    say "full, repetition $rep: $(tail -3 "$RESULTS" | awk -F'\t' '{printf "%s %s s  ", $2, $3}')"
done
for rep in $(seq "$REPS"); do
    python3 bench/gen.py mutate "$W/src" --percent 1 --seed $((rep * 10))
    for who in $(order "$rep"); do
        record changed "$who" "$(run "$who" "$W/full-$who")"
    done
    say "1% changed, repetition $rep: $(tail -3 "$RESULTS" | awk -F'\t' '{printf "%s %s s  ", $2, $3}')"
done

# verify: what this checkout stored, re-read. The page cache dropped first where we may (root).
for rep in $(seq "$REPS"); do
    for mode in verify verify-read; do
        sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
        t0=$(now)
        bin/backup verify --config "$W/full-hashes/backup.properties" $([ $mode = verify-read ] && echo --read-data) \
            > "$W/$mode.out" 2>&1 || say "$mode exited $?: $(tail -3 "$W/$mode.out")"
        record "$mode" hashes "$(secs "$t0" "$(now)")"
    done
    say "verify, repetition $rep: $(tail -2 "$RESULTS" | awk -F'\t' '{printf "%s %s s  ", $1, $3}')"
done
STORED=$(du -sb "$W/full-hashes/main" "$W/full-hashes/deleted" | awk '{s += $1} END {print s}')

echo
printf '%-10s %10s %10s %10s %10s %10s\n' case hashes baseline script hashes/base hashes/script
for c in full changed; do
    h=$(median "$c" hashes) b=$(median "$c" baseline) s=$(median "$c" script)
    printf '%-10s %9ss %9ss %9ss %10s %10s\n' "$c" "$h" "$b" "$s" \
        "$(python3 -c "print(f'{$h / $b:.2f}')")" "$(python3 -c "print(f'{$h / $s:.2f}')")"
done
v=$(median verify hashes) r=$(median verify-read hashes)
echo "source $(python3 -c "print(f'{$BYTES / 1e9:.2f}')") GB; stored (mirror + deleted area) $(python3 -c "print(f'{$STORED / 1e9:.2f}')") GB"
echo "verify (size and time): $v s; verify --read-data: $r s = $(python3 -c "print(f'{$r / ($STORED / 1e9):.2f}')") s per GB"
