package org.idream.backup;

import java.nio.file.Path;
import java.util.Properties;

/** The command line: {@code [--once] [--dry-run] [--config FILE] [-Dkey=value ...]}. */
record Arguments(boolean once, boolean dryRun, Path config, Properties overrides, boolean help) {

    static final String USAGE = """
            usage: bin/backup [--once] [--dry-run] [--config FILE] [-Dkey=value ...]
                   bin/backup demo
              --once         run one backup now and exit with its code (cron, systemd timer)
                             without it: run as a daemon, backups on backup.schedule
              --dry-run      the whole pipeline with rclone --dry-run: nothing is written to the backup
              --config FILE  your properties file; its keys override config/application.properties
              -Dkey=value    override one key (strongest)
            exit codes: 0 success, 1 a directory failed, 2 bad configuration or usage,
                        3 another run holds the lock, 4 a precondition failed, 130/143 interrupted""";

    static Arguments parse(String[] args) {
        boolean once = false;
        boolean dryRun = false;
        boolean help = false;
        Path config = null;
        Properties overrides = new Properties();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--once")) {
                once = true;
            } else if (a.equals("--dry-run")) {
                dryRun = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else if (a.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                config = Path.of(args[++i]);
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("-D") && a.indexOf('=') > 2) {
                overrides.setProperty(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (config != null) {
            config = config.toAbsolutePath();
        }
        return new Arguments(once, dryRun, config, overrides, help);
    }
}
