package org.idream.backup.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Units;
import org.idream.backup.model.Validation;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.rclone.RcloneExit;
import org.idream.backup.rclone.RcloneFailure;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.safety.Interruption;
import org.idream.backup.sync.ChangeDetection;
import org.idream.backup.sync.FullSync;
import org.idream.backup.sync.GuidedSync;
import org.idream.backup.sync.PreScan;
import org.idream.backup.sync.SyncKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one directory (SPEC §2 steps 9 and 10), each a method the per-directory routes call by
 * name, on the values the route hands it. The directory travels as the exchange property
 * {@value DirectoryRun#PROPERTY}.
 */
public final class DirectorySteps {
    /** The exchange property of the validation's listings. */
    public static final String LISTINGS = "listings";
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    /**
     * The validation's two sides (for a guided sync: the parts it touched), the whole trees (for the
     * report), and what a guided sync's whole-tree checks found wrong; {@code manifest} is the mirror's
     * manifest, recorded into a work file.
     */
    public record Listings(TreeSummary source, TreeSummary mirror, Path manifest, Path manifestWork,
            TreeSummary sourceWhole, TreeSummary mirrorWhole, List<String> problems, String drift) {
        static final Listings SKIPPED = new Listings(null, null, null, null, null, null, List.of(), null);

        /** True when the mirror's manifest was recorded (and is to be moved into place). */
        public boolean recorded() {
            return manifest != null;
        }
    }

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
    private final GuidedSync guided;
    /** Runs the mirror's listing beside the source's; blocking work, so not the common fork-join pool. */
    private final ExecutorService listings = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mirror-listing");
        t.setDaemon(true);
        return t;
    });

    public DirectorySteps(Settings settings, Interruption interruption, GuidedSync guided) {
        this.settings = settings;
        this.interruption = interruption;
        this.guided = guided;
    }

    /** Starts the directory's clock (not after a signal). */
    public void start(@ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d) {
        interruption.check();
        d.started();
        LOG.info("[{}] starting: mirror {}, displaced files to {}", d.tag(), d.mirror(), d.deletedArea());
    }

    /** Before each attempt of the sync: counts it; the mirror of an empty source is an empty folder. */
    public void prepareSync(@ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(BackupRun.PROPERTY) BackupRun run) throws IOException {
        interruption.check();
        if (!run.dryRun()) {
            Files.createDirectories(d.mirror()); // rclone would not create the mirror of an empty source
        }
        d.nextAttempt();
    }

    /** After each attempt: records rclone's exit code and totals; a failing exit code throws. */
    public void inspectSync(@Body RcloneSync.Result result, @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(ChangeDetection.PROPERTY) SyncKind kind) {
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
                d.tag(), kind == null || kind.full() ? "sync" : "copy", result.stats().transfers(), Units.bytes(result.stats().bytes()),
                d.transfers().movedToDeleted(), result.stats().errors());
    }

    /**
     * The error handler's question after a failed sync: try the whole sync again? Only for rclone's
     * retryable exit codes (5, 6: up to {@code backup.sync-attempts}; 1: once more), never for fatal
     * ones, and not once a signal came.
     */
    public boolean retryWhile(@ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d, Exception e) {
        RcloneFailure failure = org.apache.camel.util.ObjectHelper.getException(RcloneFailure.class, e);
        if (failure == null || d == null || interruption.interrupted()) {
            return false;
        }
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

    /**
     * Step 10, first half: both sides of the validation, with the sync's filters and --links, and the
     * mirror's manifest for this run (restore --as-of reads it). After a full sync: the source as the walk
     * before the sync saw it (its snapshot has not changed since; rclone lists it when the walk could not),
     * and the mirror listed by rclone, which is also its manifest. After a guided sync: the parts it
     * touched, and the last manifest with them put in. None in a dry run.
     */
    public Listings list(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(RcloneSetup.PROPERTY) RcloneSetup setup,
            @ExchangeProperty(ChangeDetection.PROPERTY) SyncKind kind,
            @ExchangeProperty(FullSync.PRE_SCAN) PreScan.Result preScan) throws IOException, InterruptedException {
        interruption.check();
        if (run.dryRun()) {
            return Listings.SKIPPED;
        }
        Path manifest = Layout.manifestFile(run.deletedFolder(), d.source());
        Path work = Layout.manifestWork(run.deletedFolder(), d.source());
        if (kind != null && !kind.full()) {
            LOG.info("[{}] validating what the sync touched; the manifest from the last one and the changes", d.tag());
            GuidedSync.Validation v = guided.validate(run, d, kind, setup, manifest, work);
            return new Listings(v.sourceParts(), v.mirrorParts(), manifest, work, v.sourceWhole(), v.mirrorWhole(),
                    v.problems(), v.drift());
        }
        boolean walked = preScan != null && preScan.complete();
        LOG.info("[{}] validating: listing {}the mirror", d.tag(), walked ? "" : "the source and ");
        RcloneListing listing = new RcloneListing(setup);
        // rclone's listing of the mirror is recorded too: the manifest when the walk's (with owners and
        // modes) does not hold exactly what the mirror does
        Path listed = manifest.resolveSibling("." + manifest.getFileName() + ".listed");
        CompletableFuture<TreeSummary> mirror = CompletableFuture.supplyAsync(() -> {
            try (ManifestWriter recorder = new ManifestWriter(listed, d.source(), run.name(), d.mirror(), Manifest.LISTING_VERSION)) {
                TreeSummary t = listing.summarize(d.mirror(), new RcloneLog(d.tag() + " mirror listing", s -> { }),
                        recorder);
                recorder.finish();
                return t;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, listings);
        TreeSummary source = walked ? preScan.source()
                : listing.summarize(d.readFrom(), new RcloneLog(d.tag() + " source listing", s -> { }));
        TreeSummary m;
        try {
            m = mirror.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
        if (walked && preScan.manifestWork() != null && source.sameAs(m)) {
            Files.deleteIfExists(listed);   // the walk recorded into the work file
        } else {
            if (walked && preScan.manifestWork() != null) {
                LOG.warn("[{}] the mirror does not hold what the walk of the source saw: its manifest is rclone's "
                        + "listing of it, without owners and modes", d.tag());
                Files.deleteIfExists(preScan.manifestWork());
            }
            Files.move(listed, work, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Listings(source, m, manifest, work, source, m, List.of(), null);
    }

    /**
     * Step 10, second half: counts, byte totals and (path, size) fingerprints of both sides must agree
     * (after a guided sync: of the parts it touched, and the whole-tree checks must have found nothing).
     */
    public void validate(@ExchangeProperty(LISTINGS) Listings listings,
            @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d) {
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
                LOG.warn("[{}] {} (CephFS propagates its counts lazily; the next run syncs this directory in full)",
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
    public void succeeded(@ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d) {
        d.succeeded();
        LOG.info("[{}] done in {}", d.tag(), Units.duration(d.duration().toSeconds()));
    }

    /** The directory failed for good (after any retries): it is recorded; the other directories go on. */
    public void failed(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) throws IOException {
        record(d, e);
        Files.deleteIfExists(Layout.manifestWork(run.deletedFolder(), d.source()));   // a walk's, before a failed sync
    }

    /** Records a directory's failure and logs it: one line, with a stack trace only for the unexpected. */
    static void record(DirectoryRun d, Throwable e) {
        Failure f = Failures.of(e);
        d.failed(f);
        if (f.status() == DirectoryStatus.REFUSED || f.status() == DirectoryStatus.MISSING) {
            LOG.error("[{}] {}", d.tag(), f.getMessage());
        } else if (Failures.expected(e)) {
            LOG.error("[{}] FAILED after {} attempt(s): {}", d.tag(), d.attempts(), f.getMessage());
        } else {
            LOG.error("[{}] FAILED after {} attempt(s): {}", d.tag(), d.attempts(), f.getMessage(), e);
        }
    }
}
