#!/usr/bin/env bash
# What a plain shell script would run for the same backup (the seed's steps, minus its checks):
# rclone sync per directory, one after another, with the seed's flags (its log file at INFO too, but
# not its --update, see SPEC §2 step 9), then the seed's validation: count the files of the source
# and of the mirror with `rclone lsf -R --files-only`.
#   plain.sh MAIN_ROOT DELETED_ROOT CHECKSUM(yes|no) SOURCE...
set -u
main=$1 deleted=$2 checksum=$3
shift 3
stamp=$(date +%Y-%m-%d/%H-%M-%S)
log=$(dirname "$main")/plain_$(date +%Y-%m-%d_%H-%M-%S).log
flags=(--links --fast-list --create-empty-src-dirs --transfers 30 --checkers 8 --retries 5 --retries-sleep 10s)
[ "$checksum" = yes ] && flags+=(--checksum)
rc=0
for src in "$@"; do
    rclone sync "$src" "$main$src" "${flags[@]}" --backup-dir "$deleted/$stamp$src" \
        --log-file "$log" --log-level INFO || rc=1
done
for src in "$@"; do
    s=$(rclone lsf -R --files-only --links "$src" 2>/dev/null | wc -l)
    d=$(rclone lsf -R --files-only --links "$main$src" 2>/dev/null | wc -l)
    [ "$s" = "$d" ] || { echo "plain.sh: $src: $s files, mirror $d" >&2; rc=1; }
done
exit $rc
