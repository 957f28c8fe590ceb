package org.idream.backup.observe;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.report.Report;

/**
 * What is known of past runs, for JMX, health and metrics: the run in progress, the last run, and
 * the last success of the run and of each directory. At start it is read back from the reports in
 * the log folder, so a restart (or a --once run) does not forget when the last good backup was.
 */
public final class RunHistory implements RunObserver {

    /** One ended run, as the report says it. */
    public record Summary(RunOutcome outcome, int exitCode, String reason, Instant start, Instant end, String report,
            List<String> directories) {
    }

    private volatile BackupRun current;
    private volatile Summary last;
    private volatile Instant lastSuccess;
    private final Map<String, Instant> directoryLastSuccess = new ConcurrentHashMap<>();

    /** Reads the reports of earlier runs (oldest first, so the newest wins); one that cannot be read says nothing. */
    public void load(Path logDir) {
        Report.all(logDir, (file, e) -> { }).forEach((file, r) -> {
            if (!r.endedForReal()) {
                return;
            }
            Instant end = r.endInstant();
            List<String> dirs = new ArrayList<>();
            for (Report.Directory d : r.directories()) {
                dirs.add(d.summary());
                if (d.status() == DirectoryStatus.SUCCESS) {
                    directoryLastSuccess.merge(d.source(), end, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            last = new Summary(r.outcome(), r.exitCode() == null ? 0 : r.exitCode(), r.reason(), r.startInstant(), end,
                    file.toString(), dirs);
            if (r.outcome() == RunOutcome.SUCCESS) {
                lastSuccess = end;
            }
        });
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
        last = new Summary(run.outcome(), run.outcome().exitCode(), run.reason(), run.started().toInstant(), end,
                run.reportFile() == null ? null : run.reportFile().toString(), dirs);
        if (run.outcome() == RunOutcome.SUCCESS) {
            lastSuccess = end;
        }
    }

    /** A run that stopped before it could start (a bad configuration): it ends the record like any other. */
    public void failedToStart(RunOutcome outcome, String reason, Instant at) {
        last = new Summary(outcome, outcome.exitCode(), reason, at, at, null, List.of());
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
