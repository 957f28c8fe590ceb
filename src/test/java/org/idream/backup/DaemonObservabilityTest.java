package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's windows: JMX (the run operation, redeliveries), /observe/metrics, /observe/health, reload. */
class DaemonObservabilityTest {
    @TempDir
    Path tmp;

    private static JsonNode backupCheck(String health) throws Exception {
        for (JsonNode check : BackupFixture.JSON.readTree(health).get("checks")) {
            if (check.get("name").asText().equals("backup")) {
                return check;
            }
        }
        throw new AssertionError("no backup health check in " + health);
    }

    @Test
    void jmxStartsRunsAndMetricsAndHealthFollowThem() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "alpha");
        write(b.source(1).resolve("b.txt"), "beta");
        b.faultyRclone("MATCH=nothing\n");
        try (InProcessDaemon daemon = new InProcessDaemon(b, new Properties())) {
            JsonNode check = backupCheck(daemon.get("/observe/health"));
            assertEquals("DOWN", check.get("status").asText(), "no successful run yet");
            assertTrue(check.get("message").asText().contains("no successful run on record"), check.toString());

            assertEquals("success", daemon.runAndWait());
            assertEquals("UP", backupCheck(daemon.get("/observe/health")).get("status").asText());
            Map<String, Double> m = ObservabilityTest.parse(daemon.get("/observe/metrics"));
            JsonNode report = BackupFixture.JSON.readTree(Path.of((String) daemon.attribute("LastReport")).toFile());
            assertEquals(1.0, m.get("backup_runs_total{outcome=\"success\"}"));
            for (JsonNode d : report.get("directories")) {
                String src = "{source=\"" + d.get("source").asText() + "\"}";
                assertEquals(d.get("filesTransferred").asDouble(), m.get("backup_directory_files_transferred_total" + src));
                assertEquals(d.get("bytesTransferred").asDouble(), m.get("backup_directory_bytes_transferred_total" + src));
            }
            assertEquals(java.time.OffsetDateTime.parse(report.get("end").asText()).toEpochSecond(),
                    m.get("backup_last_success_timestamp_seconds"), 1.0);
            String[] dirs = (String[]) daemon.attribute("LastDirectories");
            assertEquals(2, dirs.length);
            assertTrue(dirs[0].endsWith(": success"), dirs[0]);

            // a run that fails: health DOWN, with the reason
            b.faultyRclone("MATCH=data3\nFAILURES=-1\nEXIT=7\n");
            assertEquals("failed", daemon.runAndWait());
            check = backupCheck(daemon.get("/observe/health"));
            assertEquals("DOWN", check.get("status").asText());
            assertTrue(check.get("message").asText().contains("ended failed: 1 of 2 directories failed"), check.toString());
            assertEquals(1.0, ObservabilityTest.parse(daemon.get("/observe/metrics"))
                    .get("backup_directory_failures_total{source=\"" + b.source(1) + "\"}"));

            // a flaky directory: each attempt shows on the rclone step's processor MBean, and as a retry
            ObjectName step = new ObjectName("org.apache.camel:context=backup,type=processors,name=\"rclone-sync-step\"");
            long attempts = ((Number) InProcessDaemon.JMX.getAttribute(step, "ExchangesTotal")).longValue();
            long failed = ((Number) InProcessDaemon.JMX.getAttribute(step, "ExchangesFailed")).longValue();
            b.faultyRclone("MATCH=data3\nFAILURES=1\nEXIT=5\n");
            assertEquals("success", daemon.runAndWait());
            assertEquals(attempts + 3, ((Number) InProcessDaemon.JMX.getAttribute(step, "ExchangesTotal")).longValue(),
                    "two directories, one of them tried twice");
            assertEquals(failed + 1, ((Number) InProcessDaemon.JMX.getAttribute(step, "ExchangesFailed")).longValue());
            assertEquals(1.0, ObservabilityTest.parse(daemon.get("/observe/metrics"))
                    .get("backup_directory_sync_retries_total{source=\"" + b.source(1) + "\"}"));

            // while a run is going on, another is refused
            b.faultyRclone("SLEEP=3\n");
            InProcessDaemon.assertStarted(daemon.runNow());
            InProcessDaemon.await("the run", () -> {
                try {
                    return (Boolean) daemon.attribute("Running");
                } catch (Exception e) {
                    return false;
                }
            });
            String refused = daemon.runNow();
            assertTrue(refused.startsWith("refused: a run is in progress"), refused);
            InProcessDaemon.await("the run's end", () -> {
                try {
                    return !(Boolean) daemon.attribute("Running");
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void theProgressGaugesMoveDuringASync() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Files.write(b.source(0).resolve("slow.bin"), Trees.bytes(5 << 20, 5));
        b.faultyRclone("EXTRA='--bwlimit 1M'\n");
        b.config.put("backup.progress-interval", "1s");
        String gauge = "backup_directory_progress_bytes_done{source=\"" + b.source(0) + "\"}";
        TreeSet<Double> seen = new TreeSet<>();
        try (InProcessDaemon daemon = new InProcessDaemon(b, new Properties())) {
            InProcessDaemon.assertStarted(daemon.runNow());
            InProcessDaemon.await("the run", () -> {
                try {
                    Map<String, Double> m = ObservabilityTest.parse(daemon.get("/observe/metrics"));
                    if (m.getOrDefault("backup_run_in_progress", 0.0) == 1.0 && m.containsKey(gauge)) {
                        seen.add(m.get(gauge));
                    }
                    return !(Boolean) daemon.attribute("Running") && daemon.attribute("LastOutcome").equals("success");
                } catch (Exception e) {
                    return false;
                }
            });
        }
        long between = seen.stream().filter(v -> v > 0 && v < (5 << 20)).count();
        assertTrue(between >= 2, "bytes done moved during the sync: " + seen);
    }

    @Test
    void aBrokenRouteEditIsRejectedAndTheRunningRoutesStay() throws Exception {
        Path home = tmp.resolve("home");
        for (String dir : new String[] {"routes", "config"}) {
            Files.createDirectories(home.resolve(dir));
            try (var files = Files.list(Path.of(dir))) {
                for (Path f : files.toList()) {
                    Files.copy(f, home.resolve(dir).resolve(f.getFileName()));
                }
            }
        }
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.routes-reload", "true");
        Properties system = new Properties();
        system.setProperty("backup.home", home.toString());

        try (LogCapture log = new LogCapture(); InProcessDaemon daemon = new InProcessDaemon(b, system)) {
            ObjectName context = new ObjectName("org.apache.camel:context=backup,type=context,name=\"backup\"");
            Object routes = InProcessDaemon.JMX.getAttribute(context, "TotalRoutes");

            String routesFile = Files.readString(home.resolve("routes/backup.yaml"));
            String step = "- bean: {ref: runSteps, method: \"rotateLogs(${exchangeProperty.backupRun})\"}";
            assertTrue(routesFile.contains(step), "the step to break is in the routes");
            Files.writeString(home.resolve("routes/backup.yaml"), routesFile.replace(step,
                    "- noSuchStep: {ref: runSteps, method: \"rotateLogs(${exchangeProperty.backupRun})\"}"));
            InProcessDaemon.await("the rejection", () -> log.text().contains("routes: backup.yaml rejected"));
            assertTrue(log.text().contains("the running routes stay"), log.text());
            assertEquals(routes, InProcessDaemon.JMX.getAttribute(context, "TotalRoutes"));
            assertEquals("success", daemon.runAndWait(), "the old routes still run a backup");
            Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
        }
    }
}
