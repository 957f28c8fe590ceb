package org.idream.backup.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.SyncKind;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Validation;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;

/**
 * The run report (SPEC §2 step 12), {@code backup_YYYY-MM-DD_HH-MM.json} beside the run's log: one record,
 * written by the run and read back, the same way, by the run history (health, metrics, JMX after a
 * restart) and by {@code runs}. Its keys are public: they stay as they are. Times are ISO-8601 with the
 * offset; {@code host} and {@code elsewhere} only in a fleet.
 */
public record Report(String start, String end, RunOutcome outcome, Integer exitCode, String reason, boolean dryRun,
        String log, String deletedFolder, @JsonInclude(JsonInclude.Include.NON_NULL) String host,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> elsewhere, List<Directory> directories,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long mdsRequests) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One directory of the run. */
    public record Directory(String source, String mirror, String deletedArea, DirectoryStatus status, SyncKind sync,
            String syncReason, String snapshot, int attempts, Integer rcloneExitCode, long filesTransferred,
            long bytesTransferred, long filesMovedToDeleted, Validation validation, Long sourceFiles, Long sourceBytes,
            Long mirrorFiles, Long mirrorBytes, String started, String ended,
            @JsonInclude(JsonInclude.Include.NON_NULL) String host, double durationSeconds, String error,
            Long entriesExamined, Double entriesPerSecond) {

        /** {@code SOURCE: STATUS[ - ERROR]}, as the run's summary spells it. */
        public String summary() {
            return source + ": " + (status == null ? "unknown" : status.id()) + (error == null ? "" : " - " + error);
        }
    }

    public Report {
        directories = directories == null ? List.of() : List.copyOf(directories);
    }

    /** The report of a run, as far as it went. */
    public static Report of(BackupRun run) {
        Map<String, String> elsewhere = null;
        if (run.host() != null) {                       // a fleet: this host, and the directories others have
            elsewhere = new LinkedHashMap<>();
            for (var e : run.elsewhere().entrySet()) {
                elsewhere.put(e.getKey().toString(), e.getValue());
            }
        }
        List<Directory> dirs = new ArrayList<>();
        for (DirectoryRun d : run.directories()) {
            dirs.add(new Directory(d.source().toString(), d.mirror().toString(), d.deletedArea().toString(), d.status(),
                    d.syncKind(), d.syncReason(), d.snapshotName(), d.attempts(), d.exitCode(), d.transfers().files(),
                    d.transfers().bytes(), d.transfers().movedToDeleted(), d.validation(), files(d.sourceTree()),
                    bytes(d.sourceTree()), files(d.mirrorTree()), bytes(d.mirrorTree()),
                    d.startedAt() == null ? null : d.startedAt().toString(),
                    d.endedAt() == null ? null : d.endedAt().toString(), run.host(), d.duration().toMillis() / 1000.0,
                    d.error(), d.examined(), d.entriesPerSecond()));
        }
        return new Report(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(run.started()),
                run.ended() == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(run.ended()), run.outcome(),
                run.outcome() == null ? null : run.outcome().exitCode(), run.reason(), run.dryRun(),
                run.logFile() == null ? null : run.logFile().toString(),
                run.deletedFolder() == null ? null : run.deletedFolder().toString(), run.host(), elsewhere, dirs,
                run.mdsRequests());
    }

    public String json() throws JsonProcessingException {
        return JSON.writeValueAsString(this);
    }

    public static Report read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Report.class);
    }

    /**
     * The reports in a log folder, by file, in the order of their names (the runs' order); one that cannot be
     * read is handed to {@code unreadable} and left out.
     */
    public static Map<Path, Report> all(Path logDir, BiConsumer<Path, IOException> unreadable) {
        Map<Path, Report> reports = new TreeMap<>();
        if (!Files.isDirectory(logDir)) {
            return reports;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir, "backup_*.json")) {
            for (Path f : files) {
                try {
                    reports.put(f, read(f));
                } catch (IOException e) {
                    unreadable.accept(f, e);
                }
            }
        } catch (IOException e) {
            unreadable.accept(logDir, e);
        }
        return reports;
    }

    /** An ended run that was not a dry run: what the history and {@code runs} count. */
    public boolean endedForReal() {
        return !dryRun && outcome != null && end != null;
    }

    public Instant startInstant() {
        return OffsetDateTime.parse(start).toInstant();
    }

    /** When it ended; null while it had not. */
    public Instant endInstant() {
        return end == null ? null : OffsetDateTime.parse(end).toInstant();
    }

    private static Long files(TreeSummary t) {
        return t == null ? null : t.files();
    }

    private static Long bytes(TreeSummary t) {
        return t == null ? null : t.bytes();
    }
}
