# Sourced by the benches: what their configurations share.

# bench_config DEST SOURCES...: DEST/backup.properties with the keys every bench sets (a destination of its
# own, no exclude file, logs kept); the caller appends its own keys (rclone.checksum, ceph.*, ...).
bench_config() {
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
PROPS
}
