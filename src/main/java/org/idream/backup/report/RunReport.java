package org.idream.backup.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.idream.backup.model.BackupRun;

/** The route's side of the run report ({@link Report}): its text and where it goes; the route writes it atomically. */
public final class RunReport {

    /** The report as JSON text. */
    public String json(BackupRun run) throws JsonProcessingException {
        return Report.of(run).json();
    }

    /** Where the report goes: beside the run's log; none without a log. */
    public String file(BackupRun run) {
        return run.reportFile() == null ? null : run.reportFile().toString();
    }
}
