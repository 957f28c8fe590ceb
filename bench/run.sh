#!/usr/bin/env bash
# Benchmark: this project against the plain shell script (bench/plain.sh) on the same data, the same
# machine, alternating the two, several times each; medians and ratios.
#
#   bench/run.sh [--quick] [--reps N] [--memory-only]
#   bench/run.sh --million               one source of 1 000 000 small files: a first backup (not timed against
#                                        the script), then no-change nights, then a night where 0.1 % changed:
#                                        seconds and the JVM's peak RSS
#   bench/run.sh --ceph [--reps N]       the same comparison with the source on a real CephFS (bench/ceph.sh;
#                                        BENCH_CASES="nochange newdir flat" runs some of its cases)
#
# Environment: BENCH_DIR (where the data and the backups go: put it on the disk you care about;
# default /tmp/ceph-backup-bench), BENCH_PARALLELISM (this project's backup.parallelism, default 4),
# BENCH_FILES (files per directory), BENCH_MEM_SMALL / BENCH_MEM_BIG (the file counts of case 5).
#
# Cases: 1 first full backup of 4 directories; 2 a run with no changes; 3 a run after 1% of the
# files changed or were deleted; 4 cases 2 and 3 without --checksum (size and modification time);
# 5 peak memory (RSS) of the JVM and of rclone, at 10 000 and at 200 000 files; 6 (after 3) a full sync
# of an up-to-date mirror (--once --full: the weekly safety net) against the script's no-change run;
# 7 one source of BENCH_BIG files (200 000; 50 000 with --quick), no change.
# The last line: ratio_full=<x> ratio_nochange=<y> ratio_changed=<z> (ours / the script's; below 1
# is faster). Needs python3 (the data generator) and /usr/bin/time is not needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
HOME_DIR=$PWD
case "$(locale charmap 2>/dev/null)" in UTF-8) ;; *) export LC_ALL=C.UTF-8 ;; esac

QUICK=no REPS=3 TIMES=yes MILLION=no
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=yes ;;
        --reps) REPS=$2; shift ;;
        --memory-only) TIMES=no ;;
        --million) MILLION=yes TIMES=no ;;
        --ceph) shift; [ "${1:-}" = --reps ] && export REPS=$2; exec bench/ceph.sh ;;
        *) echo "usage: bench/run.sh [--quick] [--reps N] [--memory-only] | --ceph [--reps N]" >&2; exit 2 ;;
    esac
    shift
done
if [ "$QUICK" = yes ]; then FILES=5000 LARGE=1 MEM_SMALL=10000 MEM_BIG=0 BIG=50000; else FILES=25000 LARGE=2 MEM_SMALL=10000 MEM_BIG=200000 BIG=200000; fi
FILES=${BENCH_FILES:-$FILES} MEM_SMALL=${BENCH_MEM_SMALL:-$MEM_SMALL} MEM_BIG=${BENCH_MEM_BIG:-$MEM_BIG} BIG=${BENCH_BIG:-$BIG}
command -v python3 >/dev/null || { echo "bench: needs python3" >&2; exit 2; }
command -v rclone >/dev/null || { echo "bench: needs rclone" >&2; exit 2; }

W=${BENCH_DIR:-/tmp/ceph-backup-bench}
rm -rf "$W"; mkdir -p "$W"
RESULTS=$W/results.tsv
: > "$RESULTS"
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# the jar, built once, outside the timings
bin/backup --help >/dev/null

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# our configuration for a set of sources, destination under $1
config() {   # config DEST CHECKSUM SOURCES...
    local dest=$1 checksum=$2; shift 2
    bench_config "$dest" "$@"
    printf '%s\n' "rclone.checksum = $checksum" "ceph.mount-point =" "ceph.status-command =" >> "$dest/backup.properties"
}

ours() {     # ours DEST [OPTIONS...] → seconds
    local t0 t1 dest=$1; shift
    t0=$(now)
    bin/backup --once --config "$dest/backup.properties" -Dbackup.parallelism="${BENCH_PARALLELISM:-4}" "$@" \
        > "$dest/last-run.out" 2>&1 || { say "ours failed: $(tail -3 "$dest/last-run.out")"; }
    t1=$(now)
    cp "$dest/last-run.out" "$dest/run-$(date +%s%N).out" 2>/dev/null || true
    # the run as the daemon pays it (its report's start to end: a scheduled run has no JVM to start)
    python3 - "$dest" >> "$W/in-run.tsv" <<'PY' || true
import datetime, glob, json, os, sys
reports = sorted(glob.glob(os.path.join(sys.argv[1], "logs", "*.json")), key=os.path.getmtime)
r = json.load(open(reports[-1]))
f = datetime.datetime.fromisoformat
print(f"{(f(r['end']) - f(r['start'])).total_seconds():.3f}")
PY
    secs "$t0" "$t1"
}

# how our last run synced each directory, and how many entries it examined (from its report)
synced() {   # synced DEST
    python3 - "$1" <<'PY'
import glob, json, os, sys
reports = sorted(glob.glob(os.path.join(sys.argv[1], "logs", "*.json")), key=os.path.getmtime)
if reports:
    r = json.load(open(reports[-1]))
    ds = r.get("directories", [])
    kinds = sorted({d.get("sync") or "?" for d in ds})
    print("/".join(kinds), sum(d.get("entriesExamined") or 0 for d in ds), "entries examined")
PY
}

script() {   # script DEST CHECKSUM SOURCES... → seconds
    local dest=$1 checksum=$2 t0 t1; shift 2
    t0=$(now)
    bench/plain.sh "$dest/main" "$dest/deleted" "$checksum" "$@" || say "plain.sh failed"
    t1=$(now)
    secs "$t0" "$t1"
}

record() {   # record CASE WHO SECONDS (ours, timed: also its in-run time, as "in-run")
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"
    if [ "$2" = ours ] && [ -s "$W/in-run.tsv" ] && [ "${1#rss-}" = "$1" ] && [ "${1#million}" = "$1" ]; then
        printf '%s\t%s\t%s\n' "$1" in-run "$(tail -1 "$W/in-run.tsv")" >> "$RESULTS"
    fi
}

median() {   # median CASE WHO
    awk -F'\t' -v c="$1" -v w="$2" '$1==c && $2==w {print $3}' "$RESULTS" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

if [ "$TIMES" = yes ]; then
say "data: 4 directories x $FILES files (+$LARGE large each), seed 42"
python3 bench/gen.py create "$W/src" --dirs 4 --files "$FILES" --large "$LARGE" --seed 42
SOURCES=("$W/src/d0" "$W/src/d1" "$W/src/d2" "$W/src/d3")
say "$(du -sh "$W/src" | cut -f1) in $(find "$W/src" -type f | wc -l) files"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

# 1. first full backup: fresh destinations each time, the two alternating
for rep in $(seq "$REPS"); do
    for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
        rm -rf "$W/full-$who"
        if [ "$who" = ours ]; then config "$W/full-ours" true "${SOURCES[@]}"; record full ours "$(ours "$W/full-ours")"
        else mkdir -p "$W/full-script"; record full script "$(script "$W/full-script" yes "${SOURCES[@]}")"; fi
    done
    say "full, repetition $rep: ours $(tail -3 "$RESULTS" | awk -F'\t' '$2=="ours"{print $3}') s, script $(tail -3 "$RESULTS" | awk -F'\t' '$2=="script"{print $3}') s"
done

# 2-4. no change, and 1% changed, with and without --checksum; each tool keeps its own destination
for checksum in yes no; do
    sfx=$([ $checksum = yes ] && echo "" || echo "-nochecksum")
    config "$W/full-ours" "$([ $checksum = yes ] && echo true || echo false)" "${SOURCES[@]}"
    if [ $checksum = no ]; then    # rclone's flags changed: that night is a full sync (as a site's is, once), not timed
        say "size and mtime from now on: one night to take the new flags in (a full sync, not timed): $(ours "$W/full-ours") s"
    fi
    for rep in $(seq "$REPS"); do
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then record "nochange$sfx" ours "$(ours "$W/full-ours")"
            else record "nochange$sfx" script "$(script "$W/full-script" $checksum "${SOURCES[@]}")"; fi
        done
    done
    say "no change: ours synced $(synced "$W/full-ours")"
    if [ $checksum = yes ]; then   # the weekly safety net: a full sync of an up-to-date mirror (--once --full)
        for rep in $(seq "$REPS"); do
            for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
                if [ "$who" = ours ]; then record fullsync ours "$(ours "$W/full-ours" --full)"
                else record fullsync script "$(script "$W/full-script" $checksum "${SOURCES[@]}")"; fi
            done
        done
        say "--full of an up-to-date mirror: ours $(median fullsync ours) s / script $(median fullsync script) s"
    fi
    for rep in $(seq "$REPS"); do
        python3 bench/gen.py mutate "$W/src" --percent 1 --seed $((rep * 10 + ${#sfx}))
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then record "changed$sfx" ours "$(ours "$W/full-ours")"
            else record "changed$sfx" script "$(script "$W/full-script" $checksum "${SOURCES[@]}")"; fi
        done
    done
    say "1% changed: ours synced $(synced "$W/full-ours")"
    say "checksum=$checksum: no change ours $(median "nochange$sfx" ours) s / script $(median "nochange$sfx" script) s; 1% changed ours $(median "changed$sfx" ours) s / script $(median "changed$sfx" script) s"
done
fi

# 7. one source of many files, no change (the first backups of both are not timed)
if [ "$TIMES" = yes ] && [ "$MILLION" = no ] && [ "$BIG" -gt 0 ]; then
    say "one source of $BIG files (up to 200 bytes each)"
    python3 bench/gen.py create "$W/big" --dirs 1 --files "$BIG" --large 0 --seed 6 --max-size 200
    config "$W/big-ours" true "$W/big/d0"
    mkdir -p "$W/big-script"
    say "first backups (not timed): ours $(ours "$W/big-ours") s, script $(script "$W/big-script" yes "$W/big/d0") s"
    for rep in $(seq "$REPS"); do
        for who in $( [ $((rep % 2)) = 1 ] && echo "ours script" || echo "script ours"); do
            if [ "$who" = ours ]; then record "big-nochange" ours "$(ours "$W/big-ours")"
            else record "big-nochange" script "$(script "$W/big-script" yes "$W/big/d0")"; fi
        done
    done
    say "$BIG files, no change: ours $(median big-nochange ours) s ($(synced "$W/big-ours")) / script $(median big-nochange script) s"
    rm -rf "$W/big" "$W/big-ours" "$W/big-script"
fi

# 5. peak memory: the JVM and the largest rclone, sampled every 0.1 s
peak() {     # peak FILES → "jvm_kib rclone_kib seconds"
    local n=$1 d=$W/mem-$1
    rm -rf "$d"
    python3 bench/gen.py create "$d/src" --dirs 1 --files "$n" --large 0 --seed 5 --max-size 200
    config "$d/dest" true "$d/src/d0"
    local t0 t1 jvm=0 rcl=0 pid
    t0=$(now)
    bin/backup --once --config "$d/dest/backup.properties" > "$d/run.out" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        local j r
        # (ps exits 1 when the JVM has no child at that moment: not an error here)
        j=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        r=$(ps --ppid "$pid" -o rss= 2>/dev/null | sort -n | tail -1 || true)
        [ -n "$j" ] && [ "$j" -gt "$jvm" ] && jvm=$j
        [ -n "$r" ] && [ "$r" -gt "$rcl" ] && rcl=$r
        sleep 0.1
    done
    wait "$pid" || say "the memory run of $n files failed: $(tail -3 "$d/run.out")"
    t1=$(now)
    echo "$jvm $rcl $(secs "$t0" "$t1")"
    rm -rf "$d"
}
if [ "$MILLION" = yes ]; then
    # a million files: the first backup, then no-change nights, each with the JVM's peak RSS
    n=${BENCH_MILLION:-1000000} d=$W/million
    say "$n files (up to 200 bytes each): generating"
    python3 bench/gen.py create "$d/src" --dirs 1 --files "$n" --large 0 --seed 5 --max-size 200
    config "$d/dest" true "$d/src/d0"
    for night in first $(seq "$REPS"); do
        t0=$(now)
        bin/backup --once --config "$d/dest/backup.properties" > "$d/run-$night.out" 2>&1 &
        pid=$! jvm=0
        while kill -0 "$pid" 2>/dev/null; do
            j=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$j" ] && [ "$j" -gt "$jvm" ] && jvm=$j
            sleep 0.1
        done
        wait "$pid" || say "the run failed: $(tail -3 "$d/run-$night.out")"
        t1=$(now)
        record "million-$night" ours "$(secs "$t0" "$t1")"
        record "million-rss-$night" ours "$((jvm / 1024))"
        say "$n files, night $night: $(secs "$t0" "$t1") s, JVM peak RSS $((jvm / 1024)) MiB ($(synced "$d/dest"))"
    done
    # then a night where 0.1 % changed (a third rewritten, a third resized, a third deleted, as many new)
    python3 bench/gen.py mutate "$d/src" --percent 0.1 --seed 11
    t0=$(now)
    bin/backup --once --config "$d/dest/backup.properties" > "$d/run-changed.out" 2>&1 || say "the run failed: $(tail -3 "$d/run-changed.out")"
    t1=$(now)
    record "million-changed" ours "$(secs "$t0" "$t1")"
    say "$n files, 0.1 % changed: $(secs "$t0" "$t1") s ($(synced "$d/dest")); $(grep -o 'manifest[: ].*record(s).*' "$d/run-changed.out" | head -1)"
    exit 0
fi
for n in $MEM_SMALL $([ "$MEM_BIG" -gt 0 ] && echo "$MEM_BIG"); do
    read -r jvm rcl took < <(peak "$n")
    record "rss-jvm-$n" ours "$((jvm / 1024))"
    record "rss-rclone-$n" ours "$((rcl / 1024))"
    say "$n files: JVM peak RSS $((jvm / 1024)) MiB, rclone $((rcl / 1024)) MiB, the run took $took s"
done

echo
for n in $MEM_SMALL $([ "$MEM_BIG" -gt 0 ] && echo "$MEM_BIG"); do
    printf 'peak RSS at %6d files: JVM %s MiB, rclone %s MiB\n' "$n" "$(median "rss-jvm-$n" ours)" "$(median "rss-rclone-$n" ours)"
done
[ "$TIMES" = yes ] || exit 0
# ours: bin/backup --once, wall clock (a JVM started); in-run: the report's start to end (the daemon's cost)
printf '%-22s %10s %10s %10s %8s %8s\n' case ours in-run script ratio in-run
for c in full nochange changed fullsync nochange-nochecksum changed-nochecksum big-nochange; do
    [ -n "$(median "$c" script)" ] || continue
    o=$(median "$c" ours); i=$(median "$c" in-run); s=$(median "$c" script)
    printf '%-22s %9ss %9ss %9ss %8s %8s\n' "$c" "$o" "$i" "$s" "$(python3 -c "print(f'{$o / $s:.2f}')")" \
        "$(python3 -c "print(f'{$i / $s:.2f}')")"
done
ratio() { python3 -c "print(f'{$(median "$1" ours) / $(median "$1" script):.2f}')"; }
echo "ratio_full=$(ratio full) ratio_nochange=$(ratio nochange) ratio_changed=$(ratio changed) ratio_fullsync=$(ratio fullsync)$([ -n "$(median big-nochange script)" ] && echo " ratio_big_nochange=$(ratio big-nochange)")"
