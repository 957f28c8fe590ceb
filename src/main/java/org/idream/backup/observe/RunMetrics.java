package org.idream.backup.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.run.BackupRun;
import org.idream.backup.run.DirectoryRun;
import org.idream.backup.run.RunOutcome;

/**
 * The run's metrics, in Prometheus' conventions, in the registry Camel exposes at
 * {@code /observe/metrics} (it is bound as Camel's {@code metricsRegistry}); after a --once run they
 * are written to a text file for node_exporter's textfile collector.
 *
 * <pre>
 * backup_last_success_timestamp_seconds, backup_run_duration_seconds, backup_runs_total{outcome},
 * backup_last_run_success, backup_last_run_exit_code,
 * backup_run_in_progress,
 * backup_directory_{bytes,files}_transferred_total{source}, backup_directory_files_moved_to_deleted_total{source},
 * backup_directory_failures_total{source}, backup_directory_sync_retries_total{source},
 * backup_directory_last_success_timestamp_seconds{source},
 * backup_directory_progress_{bytes,files}_{done,expected}{source}, ..._speed_bytes_per_second, ..._eta_seconds,
 * ..._errors
 * </pre>
 */
public final class RunMetrics implements RunObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RunHistory history;
    private final AtomicReference<Double> lastDuration = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> inProgress = new AtomicReference<>(0.0);
    private final Map<String, Map<String, AtomicReference<Double>>> directoryGauges = new ConcurrentHashMap<>();

    public RunMetrics(RunHistory history) {
        this.history = history;
        Gauge.builder("backup.last.success.timestamp.seconds", history,
                h -> h.lastSuccess() == null ? Double.NaN : h.lastSuccess().getEpochSecond())
                .description("When the last run that succeeded for every directory ended").register(registry);
        Gauge.builder("backup.run.duration.seconds", lastDuration, AtomicReference::get)
                .description("How long the last run took").register(registry);
        Gauge.builder("backup.last.run.success", history,
                h -> h.last() == null ? Double.NaN : "success".equals(h.last().outcome()) ? 1 : 0)
                .description("1 if the last run succeeded for every directory, 0 if not").register(registry);
        Gauge.builder("backup.last.run.exit.code", history, h -> h.last() == null ? Double.NaN : h.last().exitCode())
                .description("The exit code of the last run").register(registry);
        Gauge.builder("backup.run.in.progress", inProgress, AtomicReference::get)
                .description("1 while a run is going on").register(registry);
        for (RunOutcome o : RunOutcome.values()) {
            if (o != RunOutcome.CONFIG_ERROR) {
                runs(o); // every outcome shows, at 0, from the start
            }
        }
    }

    /** The registry, for Camel ({@code metricsRegistry}). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Counter runs(RunOutcome outcome) {
        return Counter.builder("backup.runs").tag("outcome", outcome.id()).description("Runs, by how they ended")
                .register(registry);
    }

    private Counter counter(String name, String source, String description) {
        return Counter.builder(name).tags(Tags.of("source", source)).description(description).register(registry);
    }

    /** A per-directory gauge, created once and then set. */
    private AtomicReference<Double> gauge(String source, String name, String description) {
        return directoryGauges.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).computeIfAbsent(name, n -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge.builder(n, value, AtomicReference::get).tags(Tags.of("source", source)).description(description)
                    .register(registry);
            return value;
        });
    }

    @Override
    public void started(BackupRun run) {
        inProgress.set(1.0);
        for (DirectoryRun d : run.getDirectories()) {
            String source = d.tag();
            counter("backup.directory.bytes.transferred", source, "Bytes rclone transferred");
            counter("backup.directory.files.transferred", source, "Files rclone transferred");
            counter("backup.directory.files.moved.to.deleted", source, "Files moved into the deleted area");
            counter("backup.directory.failures", source, "Runs in which this directory failed or was refused");
            counter("backup.directory.sync.retries", source, "Times rclone sync was run again after a failure");
            Instant last = history.lastSuccess(source);
            gauge(source, "backup.directory.last.success.timestamp.seconds", "When this directory last synced and "
                    + "validated").set(last == null ? Double.NaN : last.getEpochSecond());
            progress(source, RcloneStats.NONE);
        }
    }

    @Override
    public void progress(String source, RcloneStats s) {
        gauge(source, "backup.directory.progress.bytes.done", "Bytes done by the running rclone").set((double) s.bytes());
        gauge(source, "backup.directory.progress.bytes.expected", "Bytes rclone expects to transfer")
                .set((double) s.totalBytes());
        gauge(source, "backup.directory.progress.files.done", "Files done by the running rclone")
                .set((double) s.transfers());
        gauge(source, "backup.directory.progress.files.expected", "Files rclone expects to transfer")
                .set((double) s.totalTransfers());
        gauge(source, "backup.directory.progress.speed.bytes.per.second", "rclone's current speed").set(s.speed());
        gauge(source, "backup.directory.progress.eta.seconds", "rclone's estimate of the time left")
                .set(s.eta() == null ? Double.NaN : s.eta().doubleValue());
        gauge(source, "backup.directory.progress.errors", "Errors rclone has counted").set((double) s.errors());
    }

    @Override
    public void finished(BackupRun run) {
        inProgress.set(0.0);
        if (run.dryRun()) {
            return;
        }
        runs(run.outcome()).increment();
        lastDuration.set(java.time.Duration.between(run.started(), run.ended()).toMillis() / 1000.0);
        for (DirectoryRun d : run.getDirectories()) {
            String source = d.tag();
            counter("backup.directory.bytes.transferred", source, "").increment(d.stats().bytes());
            counter("backup.directory.files.transferred", source, "").increment(d.stats().transfers());
            counter("backup.directory.files.moved.to.deleted", source, "").increment(d.stats().movedToDeleted());
            counter("backup.directory.sync.retries", source, "").increment(Math.max(0, d.attempts() - 1));
            if (d.status() == DirectoryRun.Status.FAILED || d.status() == DirectoryRun.Status.REFUSED) {
                counter("backup.directory.failures", source, "").increment();
            }
            Instant last = history.lastSuccess(source);
            gauge(source, "backup.directory.last.success.timestamp.seconds", "")
                    .set(last == null ? Double.NaN : last.getEpochSecond());
        }
    }

    /** The metrics in Prometheus' text format, written to a temporary file and renamed into place. */
    public void writeTextfile(Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(tmp, registry.scrape(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
