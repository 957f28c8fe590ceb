package org.idream.backup.run;

import java.io.IOException;
import java.nio.file.Files;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Units;
import org.idream.backup.model.Validation;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.rclone.RcloneExit;
import org.idream.backup.rclone.RcloneFailure;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.safety.Interruption;
import org.idream.backup.sync.DirectoryJob;
import org.idream.backup.sync.Listings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one directory (SPEC §2 steps 9 and 10) that are the same whichever way it is synced, each
 * a method the per-directory routes call by name with the values they name: the directory's
 * {@link DirectoryJob} (exchange property {@value DirectoryJob#PROPERTY}), and what a step before handed on.
 */
public final class DirectorySteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    /** An rclone from an earlier run still holds the mirror's lock: not synced this time (never retried). */
    public static final class DirectoryBusy extends Failure {
        DirectoryBusy(String message) {
            super(RunOutcome.FAILED, message);
        }
    }

    /** Source and mirror disagree after a sync. Never retried: the next run repairs, the report says so. */
    public static final class ValidationFailure extends Failure {
        ValidationFailure(String message) {
            super(RunOutcome.FAILED, message);
        }
    }

    private final Settings settings;
    private final Interruption interruption;

    public DirectorySteps(Settings settings, Interruption interruption) {
        this.settings = settings;
        this.interruption = interruption;
    }

    /** The job of one of the run's directories (the split's element), for its steps. */
    public DirectoryJob job(BackupRun run, DirectoryRun d, RcloneSetup rclone) {
        return new DirectoryJob(run, d, rclone);
    }

    /** Starts the directory's clock (not after a signal). */
    public void start(DirectoryJob job) {
        interruption.check();
        DirectoryRun d = job.directory();
        d.started();
        LOG.info("[{}] starting: mirror {}, displaced files to {}", d.tag(), d.mirror(), d.deletedArea());
    }

    /** Before each attempt of the sync: counts it; the mirror of an empty source is an empty folder. */
    public void prepareSync(DirectoryJob job) throws IOException {
        interruption.check();
        if (!job.dryRun()) {
            Files.createDirectories(job.directory().mirror()); // rclone would not create the mirror of an empty source
        }
        job.directory().nextAttempt();
    }

    /** After each attempt: records rclone's exit code and totals; a failing exit code throws. */
    public void inspectSync(DirectoryJob job, RcloneSync.Result result) {
        DirectoryRun d = job.directory();
        d.synced(result.exitCode(), result.stats().totals());
        if (result.exitCode() == RcloneSync.BUSY) {
            throw new DirectoryBusy("an rclone started by an earlier run"
                    + RcloneSync.writer(d.mirror()).map(pid -> " (pid " + pid + ")").orElse("")
                    + " is still writing to " + d.mirror() + ": not synced this time; the next run syncs it "
                    + "once that rclone has ended");
        }
        if (RcloneExit.of(result.exitCode()) != RcloneExit.SUCCESS) {
            throw new RcloneFailure(result.exitCode(), String.join(";", result.lastErrors()));
        }
        LOG.info("[{}] rclone {} finished: {} file(s), {} transferred, {} moved to the deleted area, {} error(s)",
                d.tag(), job.full() ? "sync" : "copy", result.stats().transfers(), Units.bytes(result.stats().bytes()),
                d.transfers().movedToDeleted(), result.stats().errors());
    }

    /**
     * The error handler's question after a failed sync: try the whole sync again? Only for rclone's
     * retryable exit codes (5, 6: up to {@code backup.sync-attempts}; 1: once more), never for fatal
     * ones, and not once a signal came.
     */
    public boolean retryWhile(DirectoryJob job, Exception e) {
        RcloneFailure failure = cause(RcloneFailure.class, e);
        if (failure == null || job == null || interruption.interrupted()) {
            return false;
        }
        DirectoryRun d = job.directory();
        int allowed = failure.kind().attemptsAllowed(settings.get(Keys.SYNC_ATTEMPTS));
        if (d.attempts() < allowed) {
            LOG.warn("[{}] attempt {} failed: {}; trying again in {}s", d.tag(), d.attempts(), failure.getMessage(),
                    settings.get(Keys.SYNC_RETRY_DELAY).toSeconds());
            return true;
        }
        if (allowed > 1) {
            LOG.error("[{}] giving up after {} attempts", d.tag(), d.attempts());
        }
        return false;
    }

    private static <T extends Throwable> T cause(Class<T> type, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * Step 10, first half: both sides of the validation, with the sync's filters and --links, and the
     * mirror's manifest for this run (restore --as-of reads it), as the directory's strategy lists them.
     * None in a dry run.
     */
    public Listings list(DirectoryJob job) throws IOException, InterruptedException {
        interruption.check();
        Listings listings = job.dryRun() ? Listings.SKIPPED : job.strategy().validate(job);
        job.listed(listings);
        return listings;
    }

    /**
     * Step 10, second half: counts, byte totals and (path, size) fingerprints of both sides must agree
     * (after a guided sync: of the parts it touched, and the whole-tree checks must have found nothing).
     */
    public void validate(DirectoryJob job) {
        Listings listings = job.listings();
        DirectoryRun d = job.directory();
        if (listings.source() == null) {
            d.validated(Validation.SKIPPED, null, null);
            LOG.info("[{}] validation skipped (dry run)", d.tag());
            return;
        }
        TreeSummary source = listings.source();
        TreeSummary target = listings.mirror();
        if (source.sameAs(target) && listings.problems().isEmpty()) {
            d.validated(Validation.PASSED, listings.sourceWhole(), listings.mirrorWhole());
            if (listings.drift() != null) {
                d.fullNext("the last run's whole-tree check found a difference: " + listings.drift());
                LOG.warn("[{}] {}: the guided copy left a gap; the next run syncs this directory in full",
                        d.tag(), listings.drift());
            }
            if (listings.mirrorWhole() == target) {
                LOG.info("[{}] validation passed: source and mirror both hold {}", d.tag(), source.describe());
            } else {
                LOG.info("[{}] validation passed: what the sync touched agrees ({}); the mirror holds {}{}", d.tag(),
                        source.describe(), listings.mirrorWhole().describe(),
                        listings.sourceWhole() == null ? "" : ", as CephFS counts the source");
            }
            return;
        }
        d.validated(Validation.FAILED, listings.sourceWhole(), listings.mirrorWhole());
        String why = !listings.problems().isEmpty() ? String.join("; ", listings.problems().subList(0,
                Math.min(3, listings.problems().size())))
                : source.files() == target.files() && source.bytes() == target.bytes()
                ? "same totals, but some file names or sizes differ"
                : "source holds " + source.describe() + ", mirror holds " + target.describe();
        throw new ValidationFailure("validation failed: " + why);
    }

    /** The directory synced and validated. */
    public void succeeded(DirectoryJob job) {
        DirectoryRun d = job.directory();
        if (d.examined() == null && d.sourceTree() != null) {
            d.examined(d.sourceTree().files());          // a full sync: the whole tree
        }
        d.succeeded();
        LOG.info("[{}] done in {}: {} entries examined, {} a second", d.tag(),
                Units.duration(d.duration().toSeconds()), d.examined(), d.entriesPerSecond());
    }

    /** The directory failed for good (after any retries): it is recorded; the other directories go on. */
    public void failed(DirectoryJob job, Exception e) throws IOException {
        record(job.directory(), e);
        Files.deleteIfExists(job.manifestWork());   // a walk's, before a failed sync
    }

    /** Records a directory's failure and tells it: one line, with a stack trace only for the unexpected. */
    static void record(DirectoryRun d, Throwable e) {
        Failure f = Failures.told(LOG, e, k -> k.status() == DirectoryStatus.REFUSED
                || k.status() == DirectoryStatus.MISSING ? "[" + d.tag() + "] " + k.getMessage()
                : "[" + d.tag() + "] FAILED after " + d.attempts() + " attempt(s): " + k.getMessage());
        d.failed(f);
    }
}
