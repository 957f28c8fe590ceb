package org.idream.backup.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.LogRotation;
import org.idream.backup.logging.RunLog;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.RunPlan;
import org.idream.backup.model.Units;
import org.idream.backup.observe.RunObserver;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.safety.Interruption;
import org.idream.backup.safety.Leftovers;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one run that concern the run as a whole (SPEC §2 steps 1 to 5, 8, 11 and 12), each a
 * method the run route calls by name, in the order of the route, on the values the route hands it.
 */
public final class RunSteps {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Logger log = LoggerFactory.getLogger("backup");
    static final Duration LOG_MAX_AGE = Duration.ofDays(30);

    private final Settings settings;
    private final boolean dryRun;
    private final boolean full;
    private final Interruption interruption;
    private final RunObserver observers;

    /** @param full every directory synced in full ({@code --full}) */
    public RunSteps(Settings settings, boolean dryRun, boolean full, Interruption interruption, RunObserver observers) {
        this.settings = settings;
        this.dryRun = dryRun;
        this.full = full;
        this.interruption = interruption;
        this.observers = observers;
    }

    /** Step 1: the run's log file, {@code backup_YYYY-MM-DD_HH-MM.log}, named after this moment. */
    public RunLog openLog() {
        ZonedDateTime now = ZonedDateTime.now(Clocks.clock());
        try {
            return RunLog.open(settings.get(Keys.LOG_DIR), now);
        } catch (IOException e) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot create the run log in "
                    + Keys.LOG_DIR.name() + " = " + settings.get(Keys.LOG_DIR) + ": " + Failures.plain(e));
        }
    }

    /** The plan of the run that started when its log was opened: which directory goes where. */
    public BackupRun plan(RunLog runLog) {
        BackupRun run = new BackupRun(plan(runLog.started()), runLog.file());
        log.info("backup run started{}{}; log {}", dryRun ? " (DRY RUN: nothing is written to the backup)" : "",
                full ? " (--full: every directory synced in full)" : "", runLog.file());
        observers.started(run);
        return run;
    }

    private RunPlan plan(ZonedDateTime at) {
        return RunPlan.of(at, dryRun, full, settings.get(Keys.SOURCES), settings.get(Keys.MAIN_ROOT),
                settings.get(Keys.DELETED_ROOT));
    }

    /**
     * Step 2: the run lock, before anything but this run's log is written or deleted. Held by another
     * process: exit 3, nothing else touched.
     */
    public RunLock lock() {
        interruption.check();
        Path file = settings.get(Keys.LOCK_FILE);
        RunLock lock;
        try {
            lock = RunLock.acquire(file);
        } catch (RunLock.Held held) {
            throw new Failure(RunOutcome.LOCKED, "another run holds the lock " + file + ": " + held.getMessage());
        } catch (IOException e) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot take the lock " + Keys.LOCK_FILE.name()
                    + " = " + file + ": " + Failures.plain(e));
        }
        log.info("lock: {} taken", file);
        Path directoryLocks = Layout.directoryLocks(file);
        try {
            Files.createDirectories(directoryLocks);
        } catch (IOException e) {
            close(lock, null, null);
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot create " + directoryLocks + ": " + Failures.plain(e));
        }
        return lock;
    }

    /** Step 3: delete logs and reports older than 30 days; too many logs left stops the run. */
    public void rotateLogs(BackupRun run) throws IOException {
        interruption.check();
        Path dir = settings.get(Keys.LOG_DIR);
        int left = LogRotation.rotate(dir, LOG_MAX_AGE, run.logFile());
        int max = settings.get(Keys.MAX_LOG_FILES);
        if (left > max) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, left + " run logs in " + dir
                    + " after rotation, more than " + Keys.MAX_LOG_FILES.name() + " = " + max
                    + ": remove old logs or raise the limit");
        }
    }

    /**
     * Step 8: the roots of the mirrors and of the deleted area (not in a dry run), {@code 0700}: the
     * files in them are the sources' content, readable by whoever could reach them (the modes that
     * kept the sources private are in the manifests, not on the copies). A root that others can reach
     * is closed, with a WARNING.
     */
    public void createRoots(BackupRun run) {
        interruption.check();
        for (var key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
            Path root = settings.get(key);
            try {
                if (Files.isDirectory(root)) {
                    Set<PosixFilePermission> now = Files.getPosixFilePermissions(root);
                    if (!PRIVATE.equals(now)) {
                        if (run.dryRun()) {
                            log.warn("dry run: would make {} ({}) {} (it is {})", root, key.name(), "rwx------",
                                    PosixFilePermissions.toString(now));
                        } else {
                            Files.setPosixFilePermissions(root, PRIVATE);
                            log.warn("{} ({}) was {}: made it rwx------ (0700), so that only root reads the copies",
                                    root, key.name(), PosixFilePermissions.toString(now));
                        }
                    }
                    continue;
                }
                if (run.dryRun()) {
                    log.info("dry run: would create {} ({})", root, key.name());
                    continue;
                }
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PRIVATE);
                log.info("created {} ({}, rwx------)", root, key.name());
            } catch (IOException e) {
                throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot create " + key.name() + " = " + root
                        + " (rwx------): " + e);
            }
        }
        if (!run.dryRun()) {
            try {
                List<Path> left = Leftovers.clean(settings.get(Keys.DELETED_ROOT), run.deletedFolder());
                if (!left.isEmpty()) {
                    log.warn("a run that did not finish (killed?) left {} work file(s) or empty folder(s) in {}: "
                            + "removed ({})", left.size(), settings.get(Keys.DELETED_ROOT), left.stream().map(
                            Path::toString).collect(java.util.stream.Collectors.joining(", ")));
                }
            } catch (IOException e) {
                log.warn("what an unfinished run left in {} cannot be cleaned: {}", settings.get(Keys.DELETED_ROOT),
                        Failures.plain(e));
            }
        }
        log.info("syncing {} director{} with up to {} at once; displaced files go to {}",
                run.directories().size(), run.directories().size() == 1 ? "y" : "ies",
                settings.get(Keys.PARALLELISM), run.deletedFolder());
    }

    /**
     * Step 11 runs only after a run that did not stop on a safety check: not after a signal, not when
     * the empty-mount guard refused a directory (something is wrong with the sources: keep history).
     */
    public boolean retentionAllowed(BackupRun run) {
        if (interruption.interrupted()) {
            log.warn("retention skipped: the run was interrupted");
            return false;
        }
        if (run.anyRefused()) {
            log.warn("retention skipped: the empty-mount guard refused a directory");
            return false;
        }
        return true;
    }

    /**
     * A step failed before the syncs, or the run broke: records why ({@link #finish} still runs). When
     * it broke before its plan was made (its log could not be opened), the run is planned here.
     */
    public BackupRun stopped(BackupRun run, Exception e) {
        BackupRun stopped = run != null ? run : new BackupRun(plan(ZonedDateTime.now(Clocks.clock())), null);
        Failure f = Failures.told(log, e, k -> "run stopped: " + k.getMessage());
        stopped.stop(f.outcome(), f.getMessage());
        return stopped;
    }

    /** Step 12: one result; every directory's line and the end in the log; the observers told. */
    public void finish(BackupRun run) {
        if (interruption.interrupted()) {
            run.stop(interruption.outcome(), interruption.outcome().text());
        }
        BackupRun.End end = run.end(ZonedDateTime.now(Clocks.clock()));
        for (DirectoryRun d : run.directories()) {
            log.info("  {}", d.summary());
        }
        Duration took = Duration.between(run.started(), end.at());
        String how = end.outcome().text() + " (exit " + end.outcome().exitCode() + ")"
                + (end.reason() == null ? "" : ": " + end.reason());
        if (end.outcome() == RunOutcome.SUCCESS) {
            log.info("backup run finished in {}: {}", Units.duration(took.toSeconds()), how);
        } else {
            log.error("backup run finished in {}: {}", Units.duration(took.toSeconds()), how);
        }
        observers.finished(run);
    }

    /** The very end: the lock released (the file removed), then the run's log closed. */
    public void close(RunLock lock, RunLog runLog, BackupRun run) {
        if (lock != null) {
            try {
                lock.close();
                log.info("lock: released");
            } catch (IOException e) {
                log.warn("releasing the lock: {}", e.toString());
            }
        }
        if (runLog != null) {
            runLog.close();
        }
        if (run != null) {
            observers.closed(run);
        }
    }
}
