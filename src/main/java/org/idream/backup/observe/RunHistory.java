package org.idream.backup.observe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;

/**
 * What is known of past runs, for JMX, health and metrics: the run in progress, the last run, and
 * the last success of the run and of each directory. At start it is read back from the reports in
 * the log folder, so a restart (or a --once run) does not forget when the last good backup was.
 */
public final class RunHistory implements RunObserver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One ended run, as the report says it. */
    public record Summary(String outcome, int exitCode, String reason, Instant start, Instant end, String report,
            List<String> directories) {
    }

    private volatile BackupRun current;
    private volatile Summary last;
    private volatile Instant lastSuccess;
    private final Map<String, Instant> directoryLastSuccess = new ConcurrentHashMap<>();

    /** Reads the reports of earlier runs (oldest first, so the newest wins). */
    public void load(Path logDir) {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        List<Path> reports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir, "backup_*.json")) {
            files.forEach(reports::add);
        } catch (IOException e) {
            return;
        }
        reports.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path p : reports) {
            try {
                JsonNode r = JSON.readTree(p.toFile());
                if (r.path("outcome").isNull() || r.path("end").isNull() || r.path("dryRun").asBoolean()) {
                    continue;
                }
                Instant end = OffsetDateTime.parse(r.get("end").asText()).toInstant();
                List<String> dirs = new ArrayList<>();
                for (JsonNode d : r.path("directories")) {
                    dirs.add(d.path("source").asText() + ": " + d.path("status").asText()
                            + (d.path("error").isNull() ? "" : " - " + d.path("error").asText()));
                    if ("success".equals(d.path("status").asText())) {
                        directoryLastSuccess.merge(d.path("source").asText(), end, (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
                last = new Summary(r.get("outcome").asText(), r.path("exitCode").asInt(), r.path("reason").asText(null),
                        OffsetDateTime.parse(r.get("start").asText()).toInstant(), end, p.toString(), dirs);
                if ("success".equals(last.outcome())) {
                    lastSuccess = end;
                }
            } catch (IOException | RuntimeException e) {
                // a report that cannot be read says nothing
            }
        }
    }

    @Override
    public void started(BackupRun run) {
        current = run;
    }

    /** A run is in progress until it is over (its lock released): JMX's runNow is refused until then. */
    @Override
    public void closed(BackupRun run) {
        current = null;
    }

    @Override
    public void finished(BackupRun run) {
        if (run.dryRun() || run.outcome() == RunOutcome.LOCKED) {
            return; // neither says anything about the backup itself
        }
        Instant end = run.ended().toInstant();
        List<String> dirs = new ArrayList<>();
        for (DirectoryRun d : run.directories()) {
            dirs.add(d.summary());
            if (d.status() == DirectoryStatus.SUCCESS) {
                directoryLastSuccess.put(d.tag(), end);
            }
        }
        last = new Summary(run.outcome().id(), run.outcome().exitCode(), run.reason(), run.started().toInstant(), end,
                run.reportFile() == null ? null : run.reportFile().toString(), dirs);
        if (run.outcome() == RunOutcome.SUCCESS) {
            lastSuccess = end;
        }
    }

    /** A run that stopped before it could start (a bad configuration): it ends the record like any other. */
    public void failedToStart(String outcome, int exitCode, String reason, Instant at) {
        last = new Summary(outcome, exitCode, reason, at, at, null, List.of());
    }

    public BackupRun current() {
        return current;
    }

    public Summary last() {
        return last;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    public Instant lastSuccess(String source) {
        return directoryLastSuccess.get(source);
    }
}
