package org.idream.backup.report;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.ExchangeProperty;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.TreeSummary;

/** The JSON run report beside the log (SPEC §2 step 12); the route writes it atomically. */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Map<String, Object> of(BackupRun run) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("start", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(run.started()));
        r.put("end", run.ended() == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(run.ended()));
        r.put("outcome", run.outcome() == null ? null : run.outcome().id());
        r.put("exitCode", run.outcome() == null ? null : run.outcome().exitCode());
        r.put("reason", run.reason());
        r.put("dryRun", run.dryRun());
        r.put("log", run.logFile() == null ? null : run.logFile().toString());
        r.put("deletedFolder", run.deletedFolder() == null ? null : run.deletedFolder().toString());
        if (run.host() != null) {                       // a fleet: this host, and the directories others have
            r.put("host", run.host());
            Map<String, String> elsewhere = new LinkedHashMap<>();
            run.elsewhere().forEach((source, host) -> elsewhere.put(source.toString(), host));
            r.put("elsewhere", elsewhere);
        }
        List<Map<String, Object>> dirs = new ArrayList<>();
        for (DirectoryRun d : run.directories()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", d.source().toString());
            m.put("mirror", d.mirror().toString());
            m.put("deletedArea", d.deletedArea().toString());
            m.put("status", d.status().id());
            m.put("sync", d.syncKind());
            m.put("syncReason", d.syncReason());
            m.put("snapshot", d.snapshotName());
            m.put("attempts", d.attempts());
            m.put("rcloneExitCode", d.exitCode());
            m.put("filesTransferred", d.transfers().files());
            m.put("bytesTransferred", d.transfers().bytes());
            m.put("filesMovedToDeleted", d.transfers().movedToDeleted());
            m.put("validation", d.validation().id());
            m.put("sourceFiles", files(d.sourceTree()));
            m.put("sourceBytes", bytes(d.sourceTree()));
            m.put("mirrorFiles", files(d.mirrorTree()));
            m.put("mirrorBytes", bytes(d.mirrorTree()));
            m.put("started", d.startedAt() == null ? null : d.startedAt().toString());
            m.put("ended", d.endedAt() == null ? null : d.endedAt().toString());
            if (run.host() != null) {
                m.put("host", run.host());
            }
            m.put("durationSeconds", d.duration().toMillis() / 1000.0);
            m.put("error", d.error());
            dirs.add(m);
        }
        r.put("directories", dirs);
        return r;
    }

    /** The report as JSON text, for the route that writes it. */
    public String json(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) throws JsonProcessingException {
        return JSON.writeValueAsString(of(run));
    }

    /** Where the report goes: beside the run's log; none without a log. */
    public String file(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        return run.reportFile() == null ? null : run.reportFile().toString();
    }

    private static Long files(TreeSummary t) {
        return t == null ? null : t.files();
    }

    private static Long bytes(TreeSummary t) {
        return t == null ? null : t.bytes();
    }
}
