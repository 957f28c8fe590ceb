package org.idream.backup.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.rclone.RcloneExecutor;
import org.idream.backup.rclone.RcloneExit;
import org.idream.backup.rclone.RcloneFailure;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.rclone.TreeSummary;
import org.idream.backup.rclone.Units;
import org.idream.backup.preconditions.SourceRefused;
import org.idream.backup.restore.Manifest;
import org.idream.backup.safety.DirectoryLock;
import org.idream.backup.safety.Interruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The steps of one directory (SPEC §2 steps 9 and 10), each a method the per-directory routes call
 * by name. The directory travels as the exchange property {@value #PROPERTY}.
 */
public final class DirectorySteps {
    public static final String PROPERTY = "directory";
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Interruption interruption;
    private final RcloneSync sync;
    /** Runs the mirror's listing beside the source's; blocking work, so not the common fork-join pool. */
    private final java.util.concurrent.ExecutorService listings = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mirror-listing");
        t.setDaemon(true);
        return t;
    });

    public DirectorySteps(Settings settings, Interruption interruption) {
        this.settings = settings;
        this.interruption = interruption;
        this.sync = new RcloneSync(settings);
    }

    /** Takes the split's element (a planned directory) and starts its clock. */
    public void start(Exchange exchange) {
        DirectoryRun d = exchange.getIn().getBody(DirectoryRun.class);
        exchange.setProperty(PROPERTY, d);
        interruption.check();
        d.started();
        LOG.info("[{}] starting: mirror {}, displaced files to {}", d.tag(), d.mirror(), d.deletedArea());
    }

    /**
     * Before each attempt: the argument list for camel-exec, {@code flock ... LOCK rclone sync ...}: the
     * mirror's lock is held by the rclone process itself for as long as it lives.
     */
    public void prepareSync(Exchange exchange) throws IOException {
        interruption.check();
        BackupRun run = run(exchange);
        DirectoryRun d = directory(exchange);
        List<String> args = sync.arguments(run.rclone(), d.source(), d.mirror(), d.deletedArea(), run.dryRun());
        if (!run.dryRun()) {
            // the mirror of an empty source is an empty folder (rclone would not create it)
            Files.createDirectories(d.mirror());
        }
        Path lock = DirectoryLock.of(settings.get(Keys.LOCK_FILE), d.source());
        exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, DirectoryLock.wrap(lock, run.rclone().binary(), args));
        int attempt = d.nextAttempt();
        MDC.put(RcloneExecutor.DIRECTORY, d.tag());
        LOG.info("[{}] attempt {} of at most {}: {} {}  (holding {})", d.tag(), attempt,
                settings.get(Keys.SYNC_ATTEMPTS), run.rclone().binary(),
                args.stream().map(DirectorySteps::quote).collect(Collectors.joining(" ")), lock);
    }

    /** After each attempt: record rclone's exit code and totals; a failing exit code throws. */
    public void inspectSync(Exchange exchange) throws IOException {
        MDC.remove(RcloneExecutor.DIRECTORY);
        DirectoryRun d = directory(exchange);
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        RcloneStats stats = JSON.readValue(read(result.getStdout()), RcloneStats.class);
        String errors = read(result.getStderr());
        int code = result.getExitValue();
        d.synced(code, stats);
        if (code == DirectoryLock.BUSY) {
            throw new DirectoryBusy("an rclone started by an earlier run"
                    + DirectoryLock.writer(d.mirror()).map(pid -> " (pid " + pid + ")").orElse("")
                    + " is still writing to " + d.mirror() + ": not synced this time; the next run syncs it "
                    + "once that rclone has ended");
        }
        if (RcloneExit.of(code) != RcloneExit.SUCCESS) {
            throw new RcloneFailure(code, errors.replace('\n', ';'));
        }
        LOG.info("[{}] rclone sync finished: {} file(s), {} transferred, {} moved to the deleted area, {} error(s)",
                d.tag(), stats.transfers(), Units.bytes(stats.bytes()), stats.movedToDeleted(), stats.errors());
    }

    /**
     * The redelivery policy's question after a failure: try the whole sync again? Only for rclone's
     * retryable exit codes (5, 6: up to {@code backup.sync-attempts}; 1: once more), never for
     * fatal ones or for a failed validation.
     */
    public boolean retryWhile(Exchange exchange) {
        DirectoryRun d = directory(exchange);
        Throwable t = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RcloneFailure failure = RunSteps.cause(t, RcloneFailure.class);
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
     * Step 10: the source and the mirror are each listed once, at the same time, with the sync's
     * filters and --links; their file counts, byte totals and (path, size) fingerprints must agree.
     */
    public void validate(Exchange exchange) throws IOException, InterruptedException {
        interruption.check();
        BackupRun run = run(exchange);
        DirectoryRun d = directory(exchange);
        if (run.dryRun()) {
            d.validated(DirectoryRun.Validation.SKIPPED, null, null);
            LOG.info("[{}] validation skipped (dry run)", d.tag());
            return;
        }
        LOG.info("[{}] validating: listing the source and the mirror", d.tag());
        RcloneListing listing = new RcloneListing(run.rclone());
        // the mirror's listing is also the run's manifest of it (restore --as-of reads it)
        Path manifestFile = Manifest.file(run.deletedFolder(), d.source());
        CompletableFuture<TreeSummary> mirror = CompletableFuture.supplyAsync(() -> {
            try (Manifest.Recorder manifest = new Manifest.Recorder(manifestFile, d.source(), run.name(), d.mirror())) {
                TreeSummary t = listing.summarize(d.mirror(), new RcloneLog(d.tag() + " mirror listing", s -> { }),
                        manifest);
                manifest.commit();
                return t;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, listings);
        TreeSummary source = listing.summarize(d.source(), new RcloneLog(d.tag() + " source listing", s -> { }));
        TreeSummary target;
        try {
            target = mirror.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
        if (source.sameAs(target)) {
            d.validated(DirectoryRun.Validation.PASSED, source, target);
            LOG.info("[{}] validation passed: source and mirror both hold {}", d.tag(), source.describe());
            return;
        }
        d.validated(DirectoryRun.Validation.FAILED, source, target);
        String why = source.files() == target.files() && source.bytes() == target.bytes()
                ? "same totals, but some file names or sizes differ"
                : "source holds " + source.describe() + ", mirror holds " + target.describe();
        throw new ValidationFailure("validation failed: " + why);
    }

    /** The directory synced and validated. */
    public void succeeded(Exchange exchange) {
        DirectoryRun d = directory(exchange);
        d.succeeded();
        LOG.info("[{}] done in {}", d.tag(), Units.duration(d.duration().toSeconds()));
    }

    /** The directory failed for good (after any retries): it is recorded; the other directories go on. */
    public void failed(Exchange exchange) {
        MDC.remove(RcloneExecutor.DIRECTORY);
        DirectoryRun d = directory(exchange);
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = t == null ? "unknown error" : message(t);
        if (RunSteps.cause(t, SourceRefused.class) != null) {
            d.refused(reason);
            LOG.error("[{}] {}", d.tag(), reason);
        } else {
            d.failed(reason);
            LOG.error("[{}] FAILED after {} attempt(s): {}", d.tag(), d.attempts(), reason);
        }
    }

    static String message(Throwable t) {
        RcloneFailure rf = RunSteps.cause(t, RcloneFailure.class);
        if (rf != null) {
            return rf.getMessage();
        }
        for (Class<? extends RuntimeException> known : List.of(ValidationFailure.class, DirectoryBusy.class,
                SourceRefused.class, Interruption.Interrupted.class)) {
            RuntimeException e = RunSteps.cause(t, known);
            if (e != null) {
                return e.getMessage();
            }
        }
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
    }

    private static DirectoryRun directory(Exchange exchange) {
        return exchange.getProperty(PROPERTY, DirectoryRun.class);
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Shows an argument as a shell would need it, for the log only (nothing is run through a shell). */
    static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Used by the aggregation: marks a directory whose route broke unexpectedly. */
    static void brokeUnexpectedly(DirectoryRun d, Throwable t) {
        d.failed(message(t));
        LOG.error("[{}] FAILED: {}", d.tag(), message(t), t);
    }

}
