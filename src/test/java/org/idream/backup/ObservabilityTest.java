package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a --once run leaves for Prometheus (the textfile), checked against its own report. */
class ObservabilityTest {
    @TempDir
    Path tmp;

    private static double end(BackupFixture.Run run) throws IOException {
        return java.time.OffsetDateTime.parse(run.report().get("end").asText()).toEpochSecond();
    }

    /** Prometheus text format: "name{labels} value" → value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> values = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$").matcher(text);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }

    @Test
    void theMetricsTextfileSaysWhatTheReportSays() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "alpha");
        write(b.source(0).resolve("b.txt"), "beta");
        write(b.source(1).resolve("c.txt"), "gamma");
        Path prom = tmp.resolve("node-exporter/ceph_backup.prom");
        Files.createDirectories(prom.getParent());
        b.config.put("backup.metrics-textfile", prom.toString());
        b.run().expect(0);
        write(b.source(0).resolve("a.txt"), "alpha, second version");
        Files.delete(b.source(0).resolve("b.txt"));
        BackupFixture.Run run = b.run().expect(0);

        Map<String, Double> m = parse(Files.readString(prom));
        JsonNode report = run.report();
        for (Path s : b.sources) {
            JsonNode d = run.directory(s);
            String src = "{source=\"" + s + "\"}";
            assertEquals(d.get("bytesTransferred").asDouble(), m.get("backup_directory_bytes_transferred_total" + src));
            assertEquals(d.get("filesTransferred").asDouble(), m.get("backup_directory_files_transferred_total" + src));
            assertEquals(d.get("filesMovedToDeleted").asDouble(),
                    m.get("backup_directory_files_moved_to_deleted_total" + src));
            assertEquals(0.0, m.get("backup_directory_failures_total" + src));
        }
        assertEquals(2.0, m.get("backup_directory_files_moved_to_deleted_total{source=\"" + b.source(0) + "\"}"));
        for (Path s : b.sources) {
            JsonNode d = run.directory(s);
            String src = "{source=\"" + s + "\"}";
            assertEquals(d.get("sourceFiles").asDouble(), m.get("backup_directory_source_files" + src));
            assertEquals(d.get("sourceBytes").asDouble(), m.get("backup_directory_source_bytes" + src));
            assertEquals(d.get("mirrorFiles").asDouble(), m.get("backup_directory_mirror_files" + src));
            assertEquals(d.get("mirrorBytes").asDouble(), m.get("backup_directory_mirror_bytes" + src));
            assertEquals(1.0, m.get("backup_directory_last_run_success" + src));
        }
        String du = Processes.run(tmp, List.of("du", "--summarize", "--block-size=1", b.deletedRoot.toString()), 30)
                .output().strip().split("\\s+")[0];
        assertEquals(Double.parseDouble(du), m.get("backup_deleted_area_bytes"), "the space the deleted area takes");
        assertTrue(m.get("backup_deleted_area_bytes") >= "alpha".length() + "beta".length());
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("backup_build_info{version=")), m.keySet().toString());
        assertEquals(end(run), m.get("backup_last_run_end_timestamp_seconds"), 1.0);
        assertEquals(1.0, m.get("backup_runs_total{outcome=\"success\"}"));
        assertEquals(0.0, m.get("backup_runs_total{outcome=\"failed\"}"));
        assertEquals(0.0, m.get("backup_run_in_progress"));
        assertEquals(1.0, m.get("backup_last_run_success"));
        assertEquals(0.0, m.get("backup_last_run_exit_code"));
        long end = java.time.OffsetDateTime.parse(report.get("end").asText()).toEpochSecond();
        assertEquals(end, m.get("backup_last_success_timestamp_seconds"), 1.0);
        double duration = java.time.Duration.between(java.time.OffsetDateTime.parse(report.get("start").asText()),
                java.time.OffsetDateTime.parse(report.get("end").asText())).toMillis() / 1000.0;
        assertEquals(duration, m.get("backup_run_duration_seconds"), 0.5);

        // a failed run: counted as failed, and the last success is still the one before
        b.faultyRclone("MATCH=data3\nFAILURES=-1\nEXIT=7\n");
        b.run().expect(1);
        m = parse(Files.readString(prom));
        assertEquals(1.0, m.get("backup_runs_total{outcome=\"failed\"}"));
        assertEquals(0.0, m.get("backup_last_run_success"));
        assertEquals(1.0, m.get("backup_last_run_exit_code"));
        assertEquals(1.0, m.get("backup_directory_failures_total{source=\"" + b.source(1) + "\"}"));
        assertEquals(end, m.get("backup_last_success_timestamp_seconds"), 1.0, "from the reports of earlier runs");
        assertEquals(end, m.get("backup_directory_last_success_timestamp_seconds{source=\"" + b.source(1) + "\"}"), 1.0);
        assertTrue(m.get("backup_directory_last_success_timestamp_seconds{source=\"" + b.source(0) + "\"}") > end - 1);
        assertTrue(Files.getPosixFilePermissions(prom).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                "node_exporter can read it");
    }
}
