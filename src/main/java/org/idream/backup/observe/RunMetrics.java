package org.idream.backup.observe;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.rclone.RcloneStats;

/**
 * The run's metrics, in Prometheus' conventions, in the registry Camel exposes at
 * {@code /observe/metrics} (it is bound as Camel's {@code metricsRegistry}); after a --once run the
 * route {@code write-metrics-textfile} writes them to a text file for node_exporter's textfile collector.
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
    private final Optional<Path> textfile;
    private final AtomicReference<Double> lastDuration = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> inProgress = new AtomicReference<>(0.0);
    private final AtomicReference<Double> deletedArea = new AtomicReference<>(Double.NaN);
    /** Each restore point kept beyond the window, with the bytes it keeps. */
    private final MultiGauge keptPoints;
    private final Map<String, DirectoryMeters> directories = new ConcurrentHashMap<>();
    /** The last verify: when it ended (epoch seconds), entries checked, bytes read, files damaged. */
    private final double[] verify = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};

    /** The meters of one directory, each registered once. */
    private record DirectoryMeters(Counter bytes, Counter files, Counter moved, Counter failures, Counter retries,
            AtomicReference<Double> lastSuccess, AtomicReference<Double> bytesDone, AtomicReference<Double> bytesExpected,
            AtomicReference<Double> filesDone, AtomicReference<Double> filesExpected, AtomicReference<Double> speed,
            AtomicReference<Double> eta, AtomicReference<Double> errors, AtomicReference<Double> lastRunSuccess,
            AtomicReference<Double> sourceFiles, AtomicReference<Double> sourceBytes, AtomicReference<Double> mirrorFiles,
            AtomicReference<Double> mirrorBytes) {

        static DirectoryMeters register(MeterRegistry r, String source) {
            Tags tags = Tags.of("source", source);
            return new DirectoryMeters(
                    counter(r, tags, "backup.directory.bytes.transferred", "Bytes rclone transferred"),
                    counter(r, tags, "backup.directory.files.transferred", "Files rclone transferred"),
                    counter(r, tags, "backup.directory.files.moved.to.deleted", "Files moved into the deleted area"),
                    counter(r, tags, "backup.directory.failures", "Runs in which this directory failed or was refused"),
                    counter(r, tags, "backup.directory.sync.retries", "Times rclone sync was run again after a failure"),
                    gauge(r, tags, "backup.directory.last.success.timestamp.seconds",
                            "When this directory last synced and validated"),
                    gauge(r, tags, "backup.directory.progress.bytes.done", "Bytes done by the running rclone"),
                    gauge(r, tags, "backup.directory.progress.bytes.expected", "Bytes rclone expects to transfer"),
                    gauge(r, tags, "backup.directory.progress.files.done", "Files done by the running rclone"),
                    gauge(r, tags, "backup.directory.progress.files.expected", "Files rclone expects to transfer"),
                    gauge(r, tags, "backup.directory.progress.speed.bytes.per.second", "rclone's current speed"),
                    gauge(r, tags, "backup.directory.progress.eta.seconds", "rclone's estimate of the time left"),
                    gauge(r, tags, "backup.directory.progress.errors", "Errors rclone has counted"),
                    gauge(r, tags, "backup.directory.last.run.success", "1 if this directory synced and validated in "
                            + "the last run, 0 if not"),
                    gauge(r, tags, "backup.directory.source.files", "Files of the source, as the last run saw it"),
                    gauge(r, tags, "backup.directory.source.bytes", "Bytes of the source, as the last run saw it"),
                    gauge(r, tags, "backup.directory.mirror.files", "Files of the mirror after the last run"),
                    gauge(r, tags, "backup.directory.mirror.bytes", "Bytes of the mirror after the last run"));
        }

        private static Counter counter(MeterRegistry r, Tags tags, String name, String description) {
            return Counter.builder(name).tags(tags).description(description).register(r);
        }

        private static AtomicReference<Double> gauge(MeterRegistry r, Tags tags, String name, String description) {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge.builder(name, value, AtomicReference::get).tags(tags).description(description).register(r);
            return value;
        }
    }

    /** A verify ended: its figures, for {@code backup_verify_*}. */
    public void verified(long endEpochSecond, long checked, long bytesRead, long damaged) {
        verify[0] = endEpochSecond;
        verify[1] = checked;
        verify[2] = bytesRead;
        verify[3] = damaged;
    }

    /** @param textfile where a --once run's metrics are written for node_exporter; empty in the daemon */
    public RunMetrics(RunHistory history, Optional<Path> textfile) {
        this(history, textfile, Optional.empty());
    }

    /** @param host in a fleet, this host's node id: a {@code host} label on every metric */
    public RunMetrics(RunHistory history, Optional<Path> textfile, Optional<String> host) {
        host.ifPresent(h -> registry.config().commonTags("host", h));
        this.history = history;
        this.textfile = textfile;
        Gauge.builder("backup.last.success.timestamp.seconds", history,
                h -> h.lastSuccess() == null ? Double.NaN : h.lastSuccess().getEpochSecond())
                .description("When the last run that succeeded for every directory ended").register(registry);
        Gauge.builder("backup.run.duration.seconds", lastDuration, AtomicReference::get)
                .description("How long the last run took").register(registry);
        Gauge.builder("backup.last.run.success", history,
                h -> h.last() == null ? Double.NaN : h.last().outcome() == RunOutcome.SUCCESS ? 1 : 0)
                .description("1 if the last run succeeded for every directory, 0 if not").register(registry);
        Gauge.builder("backup.last.run.exit.code", history, h -> h.last() == null ? Double.NaN : h.last().exitCode())
                .description("The exit code of the last run").register(registry);
        Gauge.builder("backup.run.in.progress", inProgress, AtomicReference::get)
                .description("1 while a run is going on").register(registry);
        Gauge.builder("backup.last.run.end.timestamp.seconds", history,
                h -> h.last() == null ? Double.NaN : h.last().end().getEpochSecond())
                .description("When the last run ended, however it ended (for alerts on runs that stop coming)")
                .register(registry);
        keptPoints = MultiGauge.builder("backup.kept.point.bytes").description("What each restore point kept beyond "
                + "the window (backup.keep-*) keeps of the deleted area: its manifests and the versions it needs")
                .baseUnit("bytes").register(registry);
        Gauge.builder("backup.deleted.area.bytes", deletedArea, AtomicReference::get)
                .description("The space the deleted area takes on the backup disk after the last run's retention").register(registry);
        Gauge.builder("backup.verify.last.run.timestamp.seconds", verify, v -> v[0])
                .description("When the last verify of the stored data ended").register(registry);
        Gauge.builder("backup.verify.checked.files", verify, v -> v[1])
                .description("Entries and versions the last verify checked").register(registry);
        Gauge.builder("backup.verify.read.bytes", verify, v -> v[2])
                .description("Bytes the last verify read whole to compare with their recorded hashes").register(registry);
        Gauge.builder("backup.verify.damaged.files", verify, v -> v[3])
                .description("Files the last verify found damaged or missing (0 when all is well)").register(registry);
        String version = RunMetrics.class.getPackage().getImplementationVersion();
        Gauge.builder("backup.build.info", () -> 1).tag("version", version == null ? "development" : version)
                .description("The version of ceph-backup that wrote these metrics").register(registry);
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

    private DirectoryMeters meters(String source) {
        return directories.computeIfAbsent(source, s -> DirectoryMeters.register(registry, s));
    }

    private static double seconds(Instant t) {
        return t == null ? Double.NaN : t.getEpochSecond();
    }

    @Override
    public void started(BackupRun run) {
        inProgress.set(1.0);
        for (DirectoryRun d : run.directories()) {
            meters(d.tag()).lastSuccess().set(seconds(history.lastSuccess(d.tag())));
            progress(d.tag(), RcloneStats.NONE);
        }
    }

    @Override
    public void progress(String source, RcloneStats s) {
        DirectoryMeters m = meters(source);
        m.bytesDone().set((double) s.bytes());
        m.bytesExpected().set((double) s.totalBytes());
        m.filesDone().set((double) s.transfers());
        m.filesExpected().set((double) s.totalTransfers());
        m.speed().set(s.speed());
        m.eta().set(s.eta() == null ? Double.NaN : s.eta().doubleValue());
        m.errors().set((double) s.errors());
    }

    @Override
    public void finished(BackupRun run) {
        inProgress.set(0.0);
        if (run.dryRun()) {
            return;
        }
        runs(run.outcome()).increment();
        if (run.deletedAreaBytes() != null) {
            deletedArea.set(run.deletedAreaBytes().doubleValue());
        }
        keptPoints.register(run.keptPoints().entrySet().stream().map(p -> MultiGauge.Row.of(Tags.of("point",
                p.getKey()), p.getValue())).toList(), true);
        lastDuration.set(Duration.between(run.started(), run.ended()).toMillis() / 1000.0);
        for (DirectoryRun d : run.directories()) {
            DirectoryMeters m = meters(d.tag());
            m.bytes().increment(d.transfers().bytes());
            m.files().increment(d.transfers().files());
            m.moved().increment(d.transfers().movedToDeleted());
            m.retries().increment(Math.max(0, d.attempts() - 1));
            if (d.status().failure()) {
                m.failures().increment();
            }
            m.lastSuccess().set(seconds(history.lastSuccess(d.tag())));
            m.lastRunSuccess().set(d.status() == DirectoryStatus.SUCCESS ? 1.0 : 0.0);
            m.sourceFiles().set(d.sourceTree() == null ? Double.NaN : d.sourceTree().files());
            m.sourceBytes().set(d.sourceTree() == null ? Double.NaN : d.sourceTree().bytes());
            m.mirrorFiles().set(d.mirrorTree() == null ? Double.NaN : d.mirrorTree().files());
            m.mirrorBytes().set(d.mirrorTree() == null ? Double.NaN : d.mirrorTree().bytes());
        }
    }

    /**
     * The text file's path for a run that could not start (a bad configuration): written as after any run,
     * so that what watches it sees the failure.
     */
    public Optional<Path> textfile() {
        return textfile;
    }

    /** After a --once run that was not a dry run: the text file's path; otherwise none. */
    public String textfile(BackupRun run) {
        return run.dryRun() ? null : textfile.map(Path::toString).orElse(null);
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }
}
