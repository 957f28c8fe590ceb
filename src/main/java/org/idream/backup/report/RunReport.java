package org.idream.backup.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.idream.backup.rclone.TreeSummary;
import org.idream.backup.run.BackupRun;
import org.idream.backup.run.DirectoryRun;

/** The JSON run report beside the log (SPEC §2 step 12), written atomically. */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReport() {
    }

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
        List<Map<String, Object>> dirs = new ArrayList<>();
        for (DirectoryRun d : run.getDirectories()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", d.source().toString());
            m.put("mirror", d.mirror().toString());
            m.put("deletedArea", d.deletedArea().toString());
            m.put("status", d.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            m.put("attempts", d.attempts());
            m.put("rcloneExitCode", d.exitCode());
            m.put("filesTransferred", d.stats().transfers());
            m.put("bytesTransferred", d.stats().bytes());
            m.put("filesMovedToDeleted", d.stats().movedToDeleted());
            m.put("validation", d.validation().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            m.put("sourceFiles", files(d.sourceTree()));
            m.put("sourceBytes", bytes(d.sourceTree()));
            m.put("mirrorFiles", files(d.mirrorTree()));
            m.put("mirrorBytes", bytes(d.mirrorTree()));
            m.put("durationSeconds", d.duration().toMillis() / 1000.0);
            m.put("error", d.error());
            dirs.add(m);
        }
        r.put("directories", dirs);
        return r;
    }

    private static Long files(TreeSummary t) {
        return t == null ? null : t.files();
    }

    private static Long bytes(TreeSummary t) {
        return t == null ? null : t.bytes();
    }

    /** Writes the report to a temporary file beside the target and renames it into place. */
    public static void write(BackupRun run, Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        JSON.writeValue(tmp.toFile(), of(run));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
