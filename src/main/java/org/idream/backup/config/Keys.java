package org.idream.backup.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The schema: every configuration key (SPEC §3) with its type, default and one-line description, in
 * the sections of the shipped file. The one place that names the keys: {@code config/application.properties}
 * is {@link #propertiesFile()} (a test fails when the two disagree), and everything else refers to a key
 * through its constant here.
 */
public final class Keys {
    private Keys() {
    }

    /** Names of keys that annotations (the command line's help) need as constants. */
    public static final class Names {
        public static final String SCHEDULE = "backup.schedule";
        public static final String CLUSTER = "backup.cluster";
        public static final String LOG_DIR = "backup.log-dir";
        /** The restore points kept beyond the window, as runs marks them. */
        public static final String KEEP = "backup.keep-*";
        public static final String RETENTION_DAYS = "backup.retention-days";

        private Names() {
        }
    }

    /** Prefixes owned by this product: an unknown key under them is a typo, refused. */
    static final List<String> OWN_PREFIXES = List.of("backup.", "rclone.", "ceph.");

    // ---- what is backed up, and where
    public static final Key<List<Path>> SOURCES = new Key<>("backup.sources", Types.PATHS,
            "/ceph/data/exp/idream/data/,/ceph/data/exp/idream/data3/",
            "Source directories; each is mirrored to main-root + its absolute path, e.g. /ceph/data/x/ -> "
                    + "/backup/main/ceph/data/x/.");
    public static final Key<Path> MAIN_ROOT = new Key<>("backup.main-root", Types.PATH, "/backup/main",
            "Root of the mirrors.");
    public static final Key<Path> DELETED_ROOT = new Key<>("backup.deleted-root", Types.PATH, "/backup/deleted",
            "Root of the deleted area: files deleted or overwritten in a source go to "
                    + "<deleted-root>/YYYY-MM-DD/HH-MM-SS/<source path>/, one folder per run.");
    public static final Key<Boolean> REQUIRE_MOUNTED_DESTINATION = new Key<>("backup.require-mounted-destination",
            Types.BOOL, "false", "true: refuse to run (exit 4) when main-root would be on the root file system, "
                    + "i.e. when the backup disk, its own mount, is missing.");
    public static final Key<Integer> RETENTION_DAYS = new Key<>(Names.RETENTION_DAYS, Types.number(1, 36500),
            "30", "Dated folders of the deleted area older than this many days are removed after a run.");
    public static final Key<Optional<Path>> EXCLUDE_FILE = new Key<>("backup.exclude-file", Types.OPTIONAL_PATH,
            "/usr/local/bin/scripts/exclude-file.txt", "rclone filter file (--exclude-from) for the sync and the "
                    + "validation of both sides; missing or unreadable: a WARNING and no filter; empty: none.");

    // ---- running
    public static final Key<String> SCHEDULE = new Key<>(Names.SCHEDULE, Types.CRON, "0 30 1 * * ?",
            "The daemon's schedule (seconds minutes hours day-of-month month day-of-week): every night at 01:30.");
    public static final Key<Integer> PARALLELISM = new Key<>("backup.parallelism", Types.number(1, 64), "4",
            "Directories synced at once.");
    public static final Key<Integer> SYNC_ATTEMPTS = new Key<>("backup.sync-attempts", Types.number(1, 100), "3",
            "Attempts of a directory's whole rclone sync on rclone exit 5 or 6 (exit 1: two at most; "
                    + "3, 4, 7, 8: one).");
    public static final Key<Duration> SYNC_RETRY_DELAY = new Key<>("backup.sync-retry-delay", Types.DURATION, "15s",
            "Pause between two attempts of a directory's sync.");
    public static final Key<Duration> PROGRESS_INTERVAL = new Key<>("backup.progress-interval", Types.DURATION,
            "30s", "How often rclone's progress (bytes, files, speed, ETA) is written to the log.");
    public static final Key<String> USER = new Key<>("backup.user", Types.TEXT, "backup_user",
            "The user the backup is expected to run as; another user gets a WARNING.");
    public static final Key<Path> LOCK_FILE = new Key<>("backup.lock-file", Types.PATH, "/var/lock/backup.lock",
            "File locked for the whole run, so that two runs never overlap; per-mirror locks go to <lock-file>.d/.");

    // ---- CephFS: snapshots and change detection
    public static final Key<String> SNAPSHOTS = new Key<>("backup.snapshots", Types.choice("auto", "required", "off"),
            "auto", "Sync each CephFS source from a snapshot taken for the run (<source>/.snap/ceph-backup-<run>): auto "
                    + "falls back to the live tree with a WARNING when CephFS refuses one; required fails the directory.");
    public static final Key<String> CHANGE_DETECTION = new Key<>("backup.change-detection",
            Types.choice("auto", "rctime", "manifest", "full"), "auto", "Sync only what changed since the last successful "
                    + "run, found by CephFS's recursive change times (rctime) or a stat walk compared with the last manifest "
                    + "(manifest: any file system); full: rclone sync of the whole tree; auto: rctime on CephFS, manifest elsewhere.");
    public static final Key<Duration> RCTIME_MARGIN = new Key<>("backup.rctime-margin", Types.DURATION, "1h",
            "A directory is looked into when its recursive change time is newer than the start of the last successful "
                    + "run minus this (CephFS propagates change times lazily; clients' clocks differ).");
    public static final Key<Duration> FULL_SYNC_EVERY = new Key<>("backup.full-sync-every", Types.DURATION, "7d",
            "A full sync at least this often, whatever the change detection (also after a failed run, and when the "
                    + "sources, the exclude file or rclone's flags change).");

    // ---- logs
    // ---- a fleet of backup hosts
    public static final Key<Cluster> CLUSTER = new Key<>(Names.CLUSTER, Types.CLUSTER, "none",
            "Several backup hosts sharing the sources, each directory backed up by exactly one of them: none (this "
            + "host alone), file:<directory> (a lock directory every host mounts, e.g. on the CephFS) or "
            + "zookeeper:<host:port,...>. Every host lists the same backup.sources.");
    public static final Key<Optional<String>> CLUSTER_NODE_ID = new Key<>("backup.cluster.node-id",
            Types.OPTIONAL_TEXT, "", "This host's name in the cluster; empty: the host name.");
    public static final Key<List<Path>> CLUSTER_PREFER = new Key<>("backup.cluster.prefer", Types.OPTIONAL_PATHS, "",
            "Sources this host takes whenever it is up (its mirrors live on its disks); the others are split "
            + "evenly over the hosts that are up.");
    public static final Key<Optional<Duration>> CLUSTER_FAILOVER_AFTER = new Key<>("backup.cluster.failover-after",
            Types.OPTIONAL_DURATION, "", "The longest a host that stopped answering keeps its directories before "
            + "the others take them (they do at their next firing); empty: one period of backup.schedule.");

    public static final Key<Path> LOG_DIR = new Key<>(Names.LOG_DIR, Types.PATH, "/var/log/backup",
            "One log per run, backup_YYYY-MM-DD_HH-MM.log, and its report .json; both deleted after 30 days.");
    public static final Key<Integer> MAX_LOG_FILES = new Key<>("backup.max-log-files", Types.number(1, 1_000_000),
            "100", "More run logs than this after rotation stops the run (exit 4).");
    public static final Key<String> LOG_LEVEL = new Key<>("backup.log-level", Types.LOG_LEVEL, "INFO",
            "Lowest level written to the console and the run log.");

    // ---- watching it
    public static final Key<Optional<Path>> METRICS_TEXTFILE = new Key<>("backup.metrics-textfile",
            Types.OPTIONAL_PATH, "", "Prometheus text file written after a --once run, for node_exporter's "
                    + "textfile collector (e.g. /var/lib/prometheus/node-exporter/ceph_backup.prom); empty: none.");
    public static final Key<Integer> VERIFY_SUBSET = new Key<>("backup.verify-subset", Types.number(0, 3650), "30",
            "The daemon re-reads one slice of the stored data after each run, the next one each night, so that "
                    + "this many nights read it all (verify --read-data-subset); 0: never.");
    public static final Key<Duration> HEALTH_MAX_AGE = new Key<>("backup.health.max-age", Types.DURATION, "26h",
            "The health is DOWN when the last run failed or the last successful run is older than this.");
    public static final Key<Optional<String>> NOTIFY_URL_START = new Key<>("backup.notify.url-start",
            Types.OPTIONAL_URL, "", "URL pinged (POST) when a run starts; empty: none. A failed ping is a WARNING.");
    public static final Key<Optional<String>> NOTIFY_URL_SUCCESS = new Key<>("backup.notify.url-success",
            Types.OPTIONAL_URL, "", "URL pinged (POST) when a run succeeds; empty: none.");
    public static final Key<Optional<String>> NOTIFY_URL_FAILURE = new Key<>("backup.notify.url-failure",
            Types.OPTIONAL_URL, "", "URL pinged (POST, the reason in the body) when a run fails; empty: none.");
    public static final Key<Optional<Integer>> KEEP_DAILY = new Key<>("backup.keep-daily", Types.optionalNumber(1,
            100000), "", "Restore points kept beyond backup.retention-days: the last run of each of this many latest "
            + "days that have one (borg's and restic's keep-daily); with the versions they need. Empty: none.");
    public static final Key<Optional<Integer>> KEEP_WEEKLY = new Key<>("backup.keep-weekly", Types.optionalNumber(1,
            100000), "", "The same, the last run of each of this many latest ISO weeks. Empty: none.");
    public static final Key<Optional<Integer>> KEEP_MONTHLY = new Key<>("backup.keep-monthly", Types.optionalNumber(1,
            100000), "", "The same, the last run of each of this many latest months (12: a year of monthly points). "
            + "Empty: none.");
    public static final Key<Optional<Integer>> KEEP_YEARLY = new Key<>("backup.keep-yearly", Types.optionalNumber(1,
            100000), "", "The same, the last run of each of this many latest years. Empty: none.");
    public static final Key<List<String>> HOOK_BEFORE = new Key<>("backup.hook.before", Types.SHELL_WORDS, "",
            "Command run before each run's syncs, after its preconditions (stop a writer, flush a database); run "
            + "without a shell (sh -c '...' for one). Failing, or past backup.hook.timeout, stops the run as a failed "
            + "precondition (exit 4). Empty: none.");
    public static final Key<List<String>> HOOK_AFTER = new Key<>("backup.hook.after", Types.SHELL_WORDS, "",
            "Command run after a run that succeeded (CEPH_BACKUP_OUTCOME, CEPH_BACKUP_EXIT_CODE, CEPH_BACKUP_REPORT, "
            + "CEPH_BACKUP_LOG in its environment); its failure is a WARNING, the run's exit code stays. Empty: none.");
    public static final Key<List<String>> HOOK_ON_FAILURE = new Key<>("backup.hook.on-failure", Types.SHELL_WORDS,
            "", "Command run after a run that did not succeed (its before hook failing too), with the same "
            + "environment; its failure is a WARNING. Empty: none.");
    public static final Key<Duration> HOOK_TIMEOUT = new Key<>("backup.hook.timeout", Types.DURATION, "10m",
            "How long a hook may run before it is stopped (its process tree): then it failed.");
    public static final Key<Optional<Integer>> JMX_REMOTE_PORT = new Key<>("backup.jmx.remote-port",
            Types.optionalNumber(1, 65535), "", "Port of remote JMX (RMI, no authentication); empty: none. "
                    + "Local JMX (jconsole) is always on.");
    public static final Key<String> JMX_REMOTE_ADDRESS = new Key<>("backup.jmx.remote-address", Types.TEXT,
            "127.0.0.1", "Address remote JMX binds to.");
    public static final Key<Boolean> ROUTES_RELOAD = new Key<>("backup.routes-reload", Types.BOOL, "false",
            "The daemon reloads routes/*.yaml when one changes; a broken edit is rejected, the running routes stay.");

    // ---- rclone
    public static final Key<String> RCLONE_BINARY = new Key<>("rclone.binary", Types.TEXT, "rclone",
            "rclone executable: a name on PATH or a path.");
    public static final Key<Integer> RCLONE_TRANSFERS = new Key<>("rclone.transfers", Types.number(1, 1024), "30",
            "rclone --transfers.");
    public static final Key<Integer> RCLONE_CHECKERS = new Key<>("rclone.checkers", Types.number(1, 1024), "8",
            "rclone --checkers.");
    public static final Key<Integer> RCLONE_RETRIES = new Key<>("rclone.retries", Types.number(1, 100), "5",
            "rclone --retries: rclone's own retry loop inside one sync.");
    public static final Key<Duration> RCLONE_RETRIES_SLEEP = new Key<>("rclone.retries-sleep", Types.DURATION, "10s",
            "rclone --retries-sleep.");
    public static final Key<Boolean> RCLONE_CHECKSUM = new Key<>("rclone.checksum", Types.BOOL, "true",
            "Compare files by size and MD5 (true: reads every same-size file on both sides) or by size and "
                    + "modification time (false).");
    public static final Key<Optional<Integer>> RCLONE_MAX_DELETE = new Key<>("rclone.max-delete",
            Types.optionalNumber(0, Integer.MAX_VALUE), "", "At most this many files moved to the deleted area "
                    + "per directory and run (--max-delete; beyond: exit 7 for that directory); empty: no limit.");
    public static final Key<Boolean> RCLONE_UPDATE = new Key<>("rclone.update", Types.BOOL, "false",
            "WARNING: true passes --update, which never repairs a damaged mirror copy newer than its source "
                    + "(a crash or a full disk leaves one).");

    // ---- Ceph
    public static final Key<Optional<Path>> CEPH_MOUNT_POINT = new Key<>("ceph.mount-point", Types.OPTIONAL_PATH,
            "/ceph", "The CephFS mount point; every source must be under it. Empty skips the mount checks.");
    public static final Key<Path> CEPH_FSTAB = new Key<>("ceph.fstab", Types.PATH, "/etc/fstab",
            "The fstab that holds the mount point's entry.");
    public static final Key<Integer> CEPH_MOUNT_ATTEMPTS = new Key<>("ceph.mount-attempts", Types.number(1, 100),
            "5", "Attempts to mount the CephFS when it is not mounted.");
    public static final Key<Duration> CEPH_MOUNT_RETRY_DELAY = new Key<>("ceph.mount-retry-delay", Types.DURATION,
            "30s", "Pause between two mount attempts.");
    public static final Key<List<String>> CEPH_STATUS_COMMAND = new Key<>("ceph.status-command", Types.COMMAND,
            "ssh cephsvc05 podman exec ceph-mon-cephsvc05 ceph status",
            "Prints 'ceph status'; split on spaces and run without a shell. Empty skips the health check.");
    public static final Key<Optional<Path>> CEPH_ADMIN_SOCKET_DIR = new Key<>("ceph.admin-socket-dir",
            Types.OPTIONAL_PATH, "/var/run/ceph", "Where CephFS clients keep their admin sockets (*.asok): the "
            + "MDS requests a run makes are read from the ceph-fuse client of the mount point. Empty: not counted.");

    // ---- Camel's own keys, passed to Camel
    public static final Key<String> CAMEL_NAME = camel("camel.main.name", "backup", "The Camel context's name.");
    public static final Key<String> CAMEL_JMX_LEVEL = camel("camel.main.jmx-management-statistics-level",
            "Extended", "JMX: route and processor MBeans with extended statistics (a step's retries show on "
                    + "its processor MBean, e.g. rclone-sync-step).");
    public static final Key<String> CAMEL_MANAGEMENT_ENABLED = camel("camel.management.enabled", "true",
            "The daemon's HTTP server: /observe/metrics (Prometheus) and /observe/health.");
    public static final Key<String> CAMEL_MANAGEMENT_HOST = camel("camel.management.host", "127.0.0.1",
            "Address of the HTTP server: loopback by default.");
    public static final Key<String> CAMEL_MANAGEMENT_PORT = camel("camel.management.port", "9876",
            "Port of the HTTP server.");
    public static final Key<String> CAMEL_MANAGEMENT_METRICS = camel("camel.management.metrics-enabled", "true",
            "Serve /observe/metrics.");
    public static final Key<String> CAMEL_MANAGEMENT_HEALTH = camel("camel.management.health-check-enabled", "true",
            "Serve /observe/health.");
    public static final Key<String> CAMEL_METRICS_ENABLED = camel("camel.metrics.enabled", "true",
            "Camel's metrics, in the registry the product's own metrics are in.");
    public static final Key<String> CAMEL_HEALTH_EXPOSURE = camel("camel.health.exposure-level", "full",
            "The health answer shows every check with its details.");
    public static final List<Key<String>> CAMEL_HTTP_TIMEOUTS = Stream.of("http", "https")
            .flatMap(c -> Stream.of(camel("camel.component." + c + ".connect-timeout", "10000",
                    "Notification pings give up after 10 s (" + c + ", connecting)."),
                    camel("camel.component." + c + ".response-timeout", "10000",
                            "Notification pings give up after 10 s (" + c + ", answering).")))
            .toList();
    public static final List<Key<String>> CAMEL_SYNC_POOL = List.of(
            camel("camel.threadpool.config[backupPool].pool-size", "{{" + PARALLELISM.name() + "}}",
                    "The pool of the per-directory syncs: backup.parallelism threads."),
            camel("camel.threadpool.config[backupPool].max-pool-size", "{{" + PARALLELISM.name() + "}}",
                    "No more threads than that."),
            camel("camel.threadpool.config[backupPool].max-queue-size", "100000",
                    "The other directories wait in the queue (a size of 0 or -1 is a hand-over: a sync would run "
                            + "on the thread that hands out the directories, one fewer at once)."),
            camel("camel.threadpool.config[backupPool].rejected-policy", "Abort",
                    "A full queue is refused loudly, never run on the caller's thread."));

    private static Key<String> camel(String name, String value, String description) {
        return new Key<>(name, Types.CAMEL, value, description);
    }

    /** One section of the shipped file. */
    public record Section(String title, List<? extends Key<?>> keys) {
    }

    public static final List<Section> SECTIONS = List.of(
            new Section("what is backed up, and where", List.of(SOURCES, MAIN_ROOT, DELETED_ROOT,
                    REQUIRE_MOUNTED_DESTINATION, RETENTION_DAYS, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY,
                    EXCLUDE_FILE)),
            new Section("running", List.of(SCHEDULE, PARALLELISM, SYNC_ATTEMPTS, SYNC_RETRY_DELAY, PROGRESS_INTERVAL,
                    USER, LOCK_FILE)),
            new Section("snapshots and change detection", List.of(SNAPSHOTS, CHANGE_DETECTION, RCTIME_MARGIN,
                    FULL_SYNC_EVERY)),
            new Section("a fleet of backup hosts", List.of(CLUSTER, CLUSTER_NODE_ID, CLUSTER_PREFER,
                    CLUSTER_FAILOVER_AFTER)),
            new Section("logs", List.of(LOG_DIR, MAX_LOG_FILES, LOG_LEVEL)),
            new Section("watching it", List.of(METRICS_TEXTFILE, VERIFY_SUBSET, HEALTH_MAX_AGE, NOTIFY_URL_START, NOTIFY_URL_SUCCESS,
                    NOTIFY_URL_FAILURE, JMX_REMOTE_PORT, JMX_REMOTE_ADDRESS, ROUTES_RELOAD)),
            new Section("hooks: commands around each run", List.of(HOOK_BEFORE, HOOK_AFTER, HOOK_ON_FAILURE,
                    HOOK_TIMEOUT)),
            new Section("rclone", List.of(RCLONE_BINARY, RCLONE_TRANSFERS, RCLONE_CHECKERS, RCLONE_RETRIES,
                    RCLONE_RETRIES_SLEEP, RCLONE_CHECKSUM, RCLONE_MAX_DELETE, RCLONE_UPDATE)),
            new Section("Ceph", List.of(CEPH_MOUNT_POINT, CEPH_FSTAB, CEPH_MOUNT_ATTEMPTS, CEPH_MOUNT_RETRY_DELAY,
                    CEPH_STATUS_COMMAND, CEPH_ADMIN_SOCKET_DIR)),
            new Section("Camel (its own keys, passed on)", Stream.of(
                    List.of(CAMEL_NAME, CAMEL_JMX_LEVEL, CAMEL_MANAGEMENT_ENABLED, CAMEL_MANAGEMENT_HOST,
                            CAMEL_MANAGEMENT_PORT, CAMEL_MANAGEMENT_METRICS, CAMEL_MANAGEMENT_HEALTH,
                            CAMEL_METRICS_ENABLED, CAMEL_HEALTH_EXPOSURE),
                    CAMEL_HTTP_TIMEOUTS, CAMEL_SYNC_POOL).flatMap(List::stream).toList()));

    /** Every key of this product (backup.*, rclone.*, ceph.*), validated by {@link Settings}. */
    public static final List<Key<?>> ALL = SECTIONS.stream().flatMap(s -> s.keys().stream())
            .filter(Key::own).<Key<?>>map(k -> k).toList();

    /** Every key of the shipped file, Camel's included. */
    public static final List<Key<?>> SHIPPED = SECTIONS.stream().flatMap(s -> s.keys().stream())
            .<Key<?>>map(k -> k).toList();

    private static final String HEADER = """
            # ceph-backup configuration: every key, with the defaults of the iDream site.
            # Generated from the schema in src/main/java/org/idream/backup/config/Keys.java: change a key there
            # (the tests fail while the two disagree; `bin/backup config --schema` prints this file).
            #
            # Override any key, strongest first:
            #   -Dkey=value                         e.g. bin/backup --once -Dbackup.parallelism=2
            #   environment variable                upper case, '.' and '-' become '_': BACKUP_PARALLELISM=2
            #   the operator's file                 bin/backup --config /etc/ceph-backup/backup.properties
            #   this file                           (shipped; keep your site's changes in your own file)
            # A bad value stops the program at start (exit 2) with one line naming the key.
            """;

    /** The shipped {@code config/application.properties}: the header, then each section, each key with its comment. */
    public static String propertiesFile() {
        StringBuilder out = new StringBuilder(HEADER);
        for (Section section : SECTIONS) {
            String title = "# ---- " + section.title() + " ";
            out.append('\n').append(title).append("-".repeat(Math.max(4, 100 - title.length()))).append('\n');
            for (Key<?> key : section.keys()) {
                String type = key.own() ? " [" + key.type().label() + "]" : "";
                for (String line : wrap(key.description() + type, 98)) {
                    out.append("# ").append(line).append('\n');
                }
                out.append(key.name()).append(" =").append(key.defaultValue().isEmpty() ? "" : " " + key.defaultValue())
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
