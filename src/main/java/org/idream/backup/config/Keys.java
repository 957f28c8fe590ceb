package org.idream.backup.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every configuration key of the product (SPEC §3): the one place that names and types them. */
public final class Keys {
    private Keys() {
    }

    public static final Key<List<Path>> SOURCES = new Key<>("backup.sources", Parsers::absolutePaths,
            "Comma-separated absolute source directories; each is mirrored to main-root + its absolute path.");
    public static final Key<Path> MAIN_ROOT = new Key<>("backup.main-root", Parsers::absolutePath,
            "Root of the mirrors.");
    public static final Key<Path> DELETED_ROOT = new Key<>("backup.deleted-root", Parsers::absolutePath,
            "Root of the deleted area: YYYY-MM-DD/HH-MM-SS/<source path>/ per run.");
    public static final Key<Path> LOG_DIR = new Key<>("backup.log-dir", Parsers::absolutePath,
            "Folder of the per-run logs and JSON reports.");
    public static final Key<Path> LOCK_FILE = new Key<>("backup.lock-file", Parsers::absolutePath,
            "File locked for the whole run, so that two runs never overlap.");
    public static final Key<Optional<Path>> EXCLUDE_FILE = new Key<>("backup.exclude-file",
            Parsers::optionalAbsolutePath, "rclone filter file for --exclude-from; optional.");
    public static final Key<String> USER = new Key<>("backup.user", Parsers::text,
            "The user the backup is expected to run as (a WARNING otherwise).");
    public static final Key<Boolean> REQUIRE_MOUNTED_DESTINATION = new Key<>("backup.require-mounted-destination",
            Parsers::bool, "Refuse to run when main-root would be on the root file system (the backup disk "
                    + "is its own mount and is missing).");
    public static final Key<Integer> RETENTION_DAYS = new Key<>("backup.retention-days",
            raw -> Parsers.wholeNumber(raw, 1, 36500), "Days a dated folder of the deleted area is kept.");
    public static final Key<Integer> MAX_LOG_FILES = new Key<>("backup.max-log-files",
            raw -> Parsers.wholeNumber(raw, 1, 1_000_000), "More run logs than this after rotation stops the run.");
    public static final Key<Integer> PARALLELISM = new Key<>("backup.parallelism",
            raw -> Parsers.wholeNumber(raw, 1, 64), "Directories synced at once.");
    public static final Key<String> SCHEDULE = new Key<>("backup.schedule", Parsers::cron,
            "Quartz cron expression of the daemon's runs.");
    public static final Key<Integer> SYNC_ATTEMPTS = new Key<>("backup.sync-attempts",
            raw -> Parsers.wholeNumber(raw, 1, 100), "Attempts of a directory's whole rclone sync.");
    public static final Key<Duration> SYNC_RETRY_DELAY = new Key<>("backup.sync-retry-delay", Parsers::duration,
            "Pause between two attempts of a directory's sync.");
    public static final Key<Duration> PROGRESS_INTERVAL = new Key<>("backup.progress-interval", Parsers::duration,
            "How often rclone's progress is written to the log.");

    public static final Key<String> LOG_LEVEL = new Key<>("backup.log-level", Parsers::logLevel,
            "Lowest level written to the console and the run log: DEBUG, INFO, WARNING or ERROR.");

    public static final Key<Optional<Path>> METRICS_TEXTFILE = new Key<>("backup.metrics-textfile",
            Parsers::optionalAbsolutePath, "Prometheus text file written after a --once run, for node_exporter's "
                    + "textfile collector; empty for none.");
    public static final Key<Duration> HEALTH_MAX_AGE = new Key<>("backup.health.max-age", Parsers::duration,
            "The daemon's health is DOWN when the last successful run is older than this.");
    public static final Key<Boolean> ROUTES_RELOAD = new Key<>("backup.routes-reload", Parsers::bool,
            "The daemon reloads routes/*.yaml when they change.");
    public static final Key<Optional<String>> NOTIFY_URL_START = new Key<>("backup.notify.url-start",
            Parsers::optionalHttpUrl, "URL pinged (POST) when a run starts; empty for none.");
    public static final Key<Optional<String>> NOTIFY_URL_SUCCESS = new Key<>("backup.notify.url-success",
            Parsers::optionalHttpUrl, "URL pinged (POST) when a run succeeds; empty for none.");
    public static final Key<Optional<String>> NOTIFY_URL_FAILURE = new Key<>("backup.notify.url-failure",
            Parsers::optionalHttpUrl, "URL pinged (POST, the reason in the body) when a run fails; empty for none.");
    public static final Key<Optional<Integer>> JMX_REMOTE_PORT = new Key<>("backup.jmx.remote-port",
            raw -> Parsers.optionalWholeNumber(raw, 1, 65535), "Port of remote JMX (RMI); empty: no remote JMX.");
    public static final Key<String> JMX_REMOTE_ADDRESS = new Key<>("backup.jmx.remote-address", Parsers::text,
            "Address remote JMX binds to.");

    public static final Key<String> RCLONE_BINARY = new Key<>("rclone.binary", Parsers::text,
            "rclone executable (a name on PATH or a path).");
    public static final Key<Integer> RCLONE_TRANSFERS = new Key<>("rclone.transfers",
            raw -> Parsers.wholeNumber(raw, 1, 1024), "rclone --transfers.");
    public static final Key<Integer> RCLONE_CHECKERS = new Key<>("rclone.checkers",
            raw -> Parsers.wholeNumber(raw, 1, 1024), "rclone --checkers.");
    public static final Key<Integer> RCLONE_RETRIES = new Key<>("rclone.retries",
            raw -> Parsers.wholeNumber(raw, 1, 100), "rclone --retries (rclone's own retry loop).");
    public static final Key<Duration> RCLONE_RETRIES_SLEEP = new Key<>("rclone.retries-sleep", Parsers::duration,
            "rclone --retries-sleep.");
    public static final Key<Optional<Integer>> RCLONE_MAX_DELETE = new Key<>("rclone.max-delete",
            raw -> Parsers.optionalWholeNumber(raw, 0, Integer.MAX_VALUE),
            "rclone --max-delete per directory; empty for no limit.");
    public static final Key<Boolean> RCLONE_UPDATE = new Key<>("rclone.update", Parsers::bool,
            "Pass --update. Dangerous: a damaged mirror copy newer than its source is never repaired.");
    public static final Key<Boolean> RCLONE_CHECKSUM = new Key<>("rclone.checksum", Parsers::bool,
            "Pass --checksum: compare by size and MD5 (reads every same-size file on both sides) "
                    + "instead of size and modification time.");

    public static final Key<Optional<Path>> CEPH_MOUNT_POINT = new Key<>("ceph.mount-point",
            Parsers::optionalAbsolutePath, "Mount point of the CephFS; empty skips the mount checks.");
    public static final Key<Path> CEPH_FSTAB = new Key<>("ceph.fstab", Parsers::absolutePath,
            "fstab that holds the mount point's entry.");
    public static final Key<Integer> CEPH_MOUNT_ATTEMPTS = new Key<>("ceph.mount-attempts",
            raw -> Parsers.wholeNumber(raw, 1, 100), "Attempts to mount the CephFS when it is not mounted.");
    public static final Key<Duration> CEPH_MOUNT_RETRY_DELAY = new Key<>("ceph.mount-retry-delay", Parsers::duration,
            "Pause between two mount attempts.");
    public static final Key<List<String>> CEPH_STATUS_COMMAND = new Key<>("ceph.status-command",
            Parsers::optionalCommand, "Command printing 'ceph status'; split on spaces, no shell; empty skips it.");

    public static final List<Key<?>> ALL = List.of(SOURCES, MAIN_ROOT, DELETED_ROOT, REQUIRE_MOUNTED_DESTINATION, LOG_DIR, LOCK_FILE,
            EXCLUDE_FILE, USER, RETENTION_DAYS, MAX_LOG_FILES, PARALLELISM, SCHEDULE, SYNC_ATTEMPTS,
            SYNC_RETRY_DELAY, PROGRESS_INTERVAL, LOG_LEVEL, METRICS_TEXTFILE, HEALTH_MAX_AGE, ROUTES_RELOAD,
            NOTIFY_URL_START, NOTIFY_URL_SUCCESS, NOTIFY_URL_FAILURE, JMX_REMOTE_PORT, JMX_REMOTE_ADDRESS, RCLONE_BINARY, RCLONE_TRANSFERS, RCLONE_CHECKERS, RCLONE_RETRIES,
            RCLONE_RETRIES_SLEEP, RCLONE_MAX_DELETE, RCLONE_UPDATE, RCLONE_CHECKSUM, CEPH_MOUNT_POINT, CEPH_FSTAB,
            CEPH_MOUNT_ATTEMPTS, CEPH_MOUNT_RETRY_DELAY, CEPH_STATUS_COMMAND);

    /** Prefixes owned by this product: an unknown key under them in a file is a typo, refused. */
    static final List<String> OWN_PREFIXES = List.of("backup.", "rclone.", "ceph.");
}
