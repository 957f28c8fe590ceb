package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/backup without --once: runs on the Quartz schedule, never two at once. */
class DaemonIT {
    @TempDir
    Path tmp;

    @Test
    void scheduledRunsFollowTheScheduleAndNeverOverlap() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.faultyRclone("SLEEP=3\n");                 // every sync takes 3 s ...
        b.config.put("backup.schedule", "* * * * * ?"); // ... and the schedule fires every second
        b.writeConfig();

        Path out = tmp.resolve("daemon.out");
        Process daemon = Processes.start(tmp, out, List.of(Processes.LAUNCHER.toString(), "--config",
                b.configFile.toString()));
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            while (reports(b).size() < 3 && System.currentTimeMillis() < deadline && daemon.isAlive()) {
                Thread.sleep(500);
            }
        } finally {
            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon stops on SIGTERM");
        }
        assertEquals(143, daemon.exitValue(), Files.readString(out));
        String said = Files.readString(out);
        assertTrue(said.contains("daemon: this process stays in the foreground") && said.contains("The next backup: ")
                && said.contains("(backup.schedule = '* * * * * ?')"), "it says it is a daemon, and when it runs:\n"
                + said);
        assertTrue(said.contains("metrics at http://127.0.0.1:") && said.contains("/observe/health"), said);
        List<JsonNode> runs = new ArrayList<>();
        for (Path r : reports(b)) {
            runs.add(BackupFixture.JSON.readTree(r.toFile()));
        }
        assertTrue(runs.size() >= 3, "three scheduled runs: " + Files.readString(out));
        runs.sort(Comparator.comparing(r -> OffsetDateTime.parse(r.get("start").asText())));
        for (int i = 0; i < runs.size(); i++) {
            // the run going on when SIGTERM came, if any, is the last, and says it was interrupted
            String expected = i == runs.size() - 1 && runs.get(i).get("outcome").asText().startsWith("interrupted")
                    ? "interrupted-term" : "success";
            assertEquals(expected, runs.get(i).get("outcome").asText(), "run " + i);
            if (i > 0) {
                OffsetDateTime previousEnd = OffsetDateTime.parse(runs.get(i - 1).get("end").asText());
                OffsetDateTime start = OffsetDateTime.parse(runs.get(i).get("start").asText());
                assertFalse(start.isBefore(previousEnd), "run " + i + " started before run " + (i - 1) + " ended");
            }
        }
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }

    private static List<Path> reports(BackupFixture b) throws java.io.IOException {
        return b.logs().stream().filter(p -> p.toString().endsWith(".json")).toList();
    }
}
