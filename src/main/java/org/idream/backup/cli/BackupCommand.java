package org.idream.backup.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.idream.backup.app.BackupCamel;
import org.idream.backup.app.Daemon;
import org.idream.backup.app.Management;
import org.idream.backup.app.OneShot;
import org.idream.backup.app.StartFailure;
import org.idream.backup.config.ConfigException;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.RunLog;
import org.idream.backup.model.BackupRun;
import org.idream.backup.outcome.RunOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ceph-backup [--once] [--dry-run] [--config FILE] [-Dkey=value ...]}: one backup now, or the daemon. */
@Command(name = "ceph-backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
        synopsisHeading = "usage: ", sortOptions = false,
        description = "Backs up the configured directories with rclone: once, or as a daemon on " + Keys.Names.SCHEDULE + ".")
public final class BackupCommand extends ConfiguredCommand implements Callable<Integer> {
    @Option(names = "--once", description = "run one backup now and exit with its code (cron, systemd timer); "
            + "without it: run as a daemon, backups on " + Keys.Names.SCHEDULE)
    private boolean once;

    @Option(names = "--dry-run", description = "the whole pipeline with rclone --dry-run: nothing is written to the "
            + "backup")
    private boolean dryRun;

    @Option(names = "--full", description = "with --once: sync every directory in full this time (rclone sync of the "
            + "whole tree), whatever the change detection says")
    private boolean full;

    @Spec
    private CommandSpec spec;

    public BackupCommand(Context context) {
        super(context);
    }

    /**
     * The help's footer for the command invoked as {@code name}: the exit codes, and the demo where there is one (a
     * checkout's {@code bin/backup demo}; the package has none).
     */
    public static String[] footer(String name, Properties system) {
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(ConfigOptions.home(system).resolve("bin/backup"))) {
            lines.addAll(List.of("", "Run `" + name + " demo` for a demo backup under ./demo/."));
        }
        lines.addAll(List.of("",
                "exit codes: 0 success, 1 a directory failed (restore: failed), 2 bad configuration or usage",
                "            (restore: refused), 3 another run holds the lock, 4 a precondition failed,",
                "            130/143 interrupted"));
        return lines.toArray(String[]::new);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            // reported where every other outcome is, as far as the configuration lets it be
            StartFailure.report(RunOutcome.CONFIG_ERROR, e.getMessage(), peek(Keys.NOTIFY_URL_FAILURE).flatMap(u -> u),
                    once ? peek(Keys.METRICS_TEXTFILE).flatMap(f -> f) : Optional.empty(),
                    peek(Keys.LOG_DIR));
            throw e;
        }
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        if (full && !once) {
            throw new ParameterException(spec.commandLine(), "--full goes with --once");
        }
        if (!once) {
            return Daemon.run(home(), settings, dryRun, context().interruption());
        }
        try (OneShot camel = OneShot.start(home(), settings, dryRun, full,
                context().interruption()); Management jmx = new Management(settings, camel.history(), camel.camel())) {
            BackupRun run = camel.request(BackupCamel.RUN_ROUTE, null, BackupRun.class);
            camel.request(BackupCamel.VERIFY_ROUTE, run, Object.class);   // the night's slice, as the daemon's
            return run.outcome().exitCode();
        }
    }
}
