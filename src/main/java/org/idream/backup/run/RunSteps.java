package org.idream.backup.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.LogRotation;
import org.idream.backup.logging.RunLog;
import org.idream.backup.rclone.RcloneConfigFile;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.Units;
import org.idream.backup.observe.RunObserver;
import org.idream.backup.report.RunReport;
import org.idream.backup.safety.DirectoryLock;
import org.idream.backup.safety.Interruption;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one run that concern the run as a whole (SPEC §2 steps 1, 3, 4, 5, 8, 12), each a
 * method the run route calls by name, in the order of the route.
 */
public final class RunSteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    static final Duration LOG_MAX_AGE = Duration.ofDays(30);

    private final Settings settings;
    private final boolean dryRun;
    private final Interruption interruption;
    private final RunObserver observers;

    public RunSteps(Settings settings, boolean dryRun, Interruption interruption, RunObserver observers) {
        this.settings = settings;
        this.dryRun = dryRun;
        this.interruption = interruption;
        this.observers = observers;
    }

    /** Step 1: the run's log file, and the plan: which directories go where. */
    public void begin(Exchange exchange) {
        ZonedDateTime now = ZonedDateTime.now(org.idream.backup.Clocks.clock());
        BackupRun run = new BackupRun(now, dryRun);
        exchange.setProperty(BackupRun.PROPERTY, run);
        RunLog log;
        try {
            log = RunLog.open(settings.get(Keys.LOG_DIR), now);
        } catch (IOException e) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, "cannot create the run log in "
                    + Keys.LOG_DIR.name() + " = " + settings.get(Keys.LOG_DIR) + ": " + e);
        }
        run.logFile(log.file(), log.reportFile(), log);
        LOG.info("backup run started{}; log {}", dryRun ? " (DRY RUN: nothing is written to the backup)" : "",
                log.file());
        run.deletedFolder(BackupRun.deletedFolder(settings.get(Keys.DELETED_ROOT), now));
        for (Path source : settings.get(Keys.SOURCES)) {
            run.plan(source, settings.get(Keys.MAIN_ROOT));
        }
        observers.started(run);
    }

    /**
     * Step 2: the run lock, before anything but this run's log is written or deleted. Held by another
     * process: exit 3, nothing else touched.
     */
    public void lock(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        interruption.check();
        Path file = settings.get(Keys.LOCK_FILE);
        try {
            run.lock(RunLock.acquire(file));
        } catch (RunLock.Held held) {
            throw new RunStopped(RunOutcome.LOCKED, "another run holds the lock " + file + ": " + held.getMessage());
        } catch (IOException e) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, "cannot take the lock " + Keys.LOCK_FILE.name()
                    + " = " + file + ": " + e);
        }
        Path directoryLocks = DirectoryLock.folder(file);
        try {
            Files.createDirectories(directoryLocks);
        } catch (IOException e) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, "cannot create " + directoryLocks + ": " + e);
        }
        LOG.info("lock: {} taken", file);
    }

    /** Step 3: delete logs and reports older than 30 days; too many logs left stops the run. */
    public void rotateLogs(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) throws IOException {
        interruption.check();
        Path dir = settings.get(Keys.LOG_DIR);
        int left = LogRotation.rotate(dir, LOG_MAX_AGE, run.logFile());
        int max = settings.get(Keys.MAX_LOG_FILES);
        if (left > max) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, left + " run logs in " + dir
                    + " after rotation, more than " + Keys.MAX_LOG_FILES.name() + " = " + max
                    + ": remove old logs or raise the limit");
        }
    }

    /** Step 4: the rclone config file, passed with --config only when it exists. */
    public void rcloneConfig(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) throws InterruptedException {
        interruption.check();
        String binary = settings.get(Keys.RCLONE_BINARY);
        RcloneConfigFile config;
        try {
            config = RcloneConfigFile.locate(binary);
        } catch (IOException e) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, "cannot run rclone ("
                    + Keys.RCLONE_BINARY.name() + " = " + binary + "): " + e.getMessage());
        } catch (RuntimeException e) {
            throw new RunStopped(RunOutcome.PRECONDITION_FAILED, "'" + binary + " config file' failed: "
                    + e.getMessage());
        }
        if (config.exists()) {
            LOG.info("rclone config: {} (passed with --config)", config.path());
        } else {
            LOG.info("rclone config: {} does not exist; running without --config (fine for local paths)",
                    config.path());
        }
        run.rclone(new RcloneSetup(binary, config.existing(), Optional.empty()));
    }

    /** Step 5: the exclude file, used when it is readable; missing, unreadable or empty is a WARNING. */
    public void excludeFile(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        Optional<Path> configured = settings.get(Keys.EXCLUDE_FILE);
        Optional<Path> usable = Optional.empty();
        if (configured.isEmpty()) {
            LOG.info("exclude file: none configured ({} is empty)", Keys.EXCLUDE_FILE.name());
        } else {
            Path file = configured.get();
            if (!Files.isRegularFile(file)) {
                LOG.warn("exclude file {} does not exist: running without --exclude-from", file);
            } else if (!Files.isReadable(file)) {
                LOG.warn("exclude file {} is not readable: running without --exclude-from", file);
            } else {
                try {
                    List<String> lines = Files.readAllLines(file);
                    long patterns = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
                    if (patterns == 0) {
                        LOG.warn("exclude file {} is empty: nothing is excluded", file);
                    } else {
                        LOG.info("exclude file {}: {} pattern(s), passed with --exclude-from", file, patterns);
                    }
                    for (String line : lines) {
                        LOG.debug("exclude file: {}", line);
                    }
                    usable = Optional.of(file);
                } catch (IOException e) {
                    LOG.warn("exclude file {} cannot be read ({}): running without --exclude-from", file, e.toString());
                }
            }
        }
        run.rclone(new RcloneSetup(run.rclone().binary(), run.rclone().configFile(), usable));
    }

    /** Step 8: the roots of the mirrors and of the deleted area (not in a dry run). */
    public void createRoots(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        interruption.check();
        for (var key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
            Path root = settings.get(key);
            if (Files.isDirectory(root)) {
                continue;
            }
            if (run.dryRun()) {
                LOG.info("dry run: would create {} ({})", root, key.name());
                continue;
            }
            try {
                Files.createDirectories(root);
                LOG.info("created {} ({})", root, key.name());
            } catch (IOException e) {
                throw new RunStopped(RunOutcome.PRECONDITION_FAILED,
                        "cannot create " + key.name() + " = " + root + ": " + e);
            }
        }
        LOG.info("syncing {} director{} with up to {} at once; displaced files go to {}",
                run.getDirectories().size(), run.getDirectories().size() == 1 ? "y" : "ies",
                settings.get(Keys.PARALLELISM), run.deletedFolder());
    }

    /**
     * Step 11 runs only after a run that did not stop on a safety check: not after a signal, not when
     * the empty-mount guard refused a directory (something is wrong with the sources: keep history).
     */
    public boolean retentionAllowed(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        if (interruption.interrupted()) {
            LOG.warn("retention skipped: the run was interrupted");
            return false;
        }
        if (run.anyRefused()) {
            LOG.warn("retention skipped: the empty-mount guard refused a directory");
            return false;
        }
        return true;
    }

    /** A step failed before the syncs, or the run broke: record why; {@link #finish} still runs. */
    public void stopped(Exchange exchange) {
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        RunStopped stop = cause(e, RunStopped.class);
        Interruption.Interrupted interrupted = cause(e, Interruption.Interrupted.class);
        if (interrupted != null) {
            run.stop(interrupted.outcome(), interrupted.getMessage());
        } else if (stop != null) {
            LOG.error("run stopped: {}", stop.getMessage());
            run.stop(stop.outcome(), stop.getMessage());
        } else {
            LOG.error("run failed: {}", e.toString(), e);
            run.stop(RunOutcome.FAILED, "unexpected error: " + e);
        }
    }

    /** Step 12: one result, the report beside the log, the end in the log. The body becomes the run. */
    public BackupRun finish(Exchange exchange) {
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        if (interruption.interrupted()) {
            run.stop(interruption.outcome(), interruption.outcome().text());
        }
        run.end();
        for (DirectoryRun d : run.getDirectories()) {
            LOG.info("  {}: {}{}", d.tag(), d.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                    d.error() == null ? "" : " - " + d.error());
        }
        Duration took = Duration.between(run.started(), run.ended());
        String how = run.outcome().text() + " (exit " + run.outcome().exitCode() + ")"
                + (run.reason() == null ? "" : ": " + run.reason());
        if (run.outcome() == RunOutcome.SUCCESS) {
            LOG.info("backup run finished in {}: {}", Units.duration(took.toSeconds()), how);
        } else {
            LOG.error("backup run finished in {}: {}", Units.duration(took.toSeconds()), how);
        }
        if (run.reportFile() != null) {
            try {
                RunReport.write(run, run.reportFile());
                LOG.info("report: {}", run.reportFile());
            } catch (IOException e) {
                LOG.error("cannot write the report {}: {}", run.reportFile(), e.toString());
            }
        }
        observers.finished(run);
        return run;
    }

    /** The very end: the lock released (the file removed), then the run's log closed. */
    public void close(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        if (run.lock() != null) {
            try {
                run.lock().close();
                LOG.info("lock: released");
            } catch (Exception e) {
                LOG.warn("releasing the lock: {}", e.toString());
            }
        }
        if (run.log() != null) {
            try {
                run.log().close();
            } catch (Exception e) {
                LOG.warn("closing the run log: {}", e.toString());
            }
        }
    }

    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
