package org.idream.backup;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The command line:
 * <pre>
 * [--once] [--dry-run] [--config FILE] [-Dkey=value ...]
 * restore SOURCE_PATH --to TARGET [--as-of MOMENT] [--force] [--no-lock] [--dry-run] [--config FILE]
 * versions SOURCE_PATH [--config FILE]
 * </pre>
 */
record Arguments(Command command, boolean once, boolean dryRun, Path config, Properties overrides, boolean help,
        Path path, Path to, String asOf, boolean force, boolean noLock) {

    enum Command { BACKUP, RESTORE, VERSIONS }

    static final String USAGE = """
            usage: bin/backup [--once] [--dry-run] [--config FILE] [-Dkey=value ...]
                   bin/backup restore SOURCE_PATH --to TARGET [--as-of "YYYY-MM-DD HH:MM[:SS]"]
                                      [--force] [--no-lock] [--dry-run] [--config FILE]
                   bin/backup versions SOURCE_PATH [--config FILE]
                   bin/backup demo
              --once         run one backup now and exit with its code (cron, systemd timer)
                             without it: run as a daemon, backups on backup.schedule
              --dry-run      the whole pipeline with rclone --dry-run: nothing is written to the backup
              --config FILE  your properties file; its keys override config/application.properties
              -Dkey=value    override one key (strongest)
              restore        copy SOURCE_PATH (a file or folder of a source) from the backup into TARGET:
                             as the last run left it, or --as-of a moment within the retention window;
                             TARGET must be empty unless --force; --no-lock: do not wait for a backup
                             (read-only restore to another disk)
              versions       list the versions of one file the backup holds, newest first
            exit codes: 0 success, 1 a directory failed (restore: failed), 2 bad configuration or usage
                        (restore: refused), 3 another run holds the lock, 4 a precondition failed,
                        130/143 interrupted""";

    static Arguments parse(String[] args) {
        Command command = Command.BACKUP;
        boolean once = false;
        boolean dryRun = false;
        boolean help = false;
        boolean force = false;
        boolean noLock = false;
        Path config = null;
        Path path = null;
        Path to = null;
        String asOf = null;
        Properties overrides = new Properties();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && (a.equals("restore") || a.equals("versions"))) {
                command = a.equals("restore") ? Command.RESTORE : Command.VERSIONS;
            } else if (a.equals("--once")) {
                once = true;
            } else if (a.equals("--dry-run")) {
                dryRun = true;
            } else if (a.equals("--force")) {
                force = true;
            } else if (a.equals("--no-lock")) {
                noLock = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else if (a.equals("--config") || a.equals("--to") || a.equals("--as-of")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--config" -> config = Path.of(v);
                    case "--to" -> to = Path.of(v);
                    default -> asOf = v;
                }
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("-D") && a.indexOf('=') > 2) {
                overrides.setProperty(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (command != Command.BACKUP && path == null && !a.startsWith("-")) {
                path = Path.of(a).toAbsolutePath().normalize();
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (command != Command.BACKUP && path == null && !help) {
            throw new IllegalArgumentException(command.name().toLowerCase(java.util.Locale.ROOT) + " needs a SOURCE_PATH");
        }
        if (command == Command.RESTORE && to == null && !help) {
            throw new IllegalArgumentException("restore needs --to TARGET");
        }
        if (command != Command.RESTORE && (to != null || asOf != null || force || noLock)) {
            throw new IllegalArgumentException("--to, --as-of, --force and --no-lock go with restore");
        }
        if (command != Command.BACKUP && once) {
            throw new IllegalArgumentException("--once goes with a backup, not with " + command.name().toLowerCase(
                    java.util.Locale.ROOT));
        }
        if (config != null) {
            config = config.toAbsolutePath();
        }
        return new Arguments(command, once, dryRun, config, overrides, help, path, to, asOf, force, noLock);
    }
}
