package org.idream.backup.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.model.RunPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet's claim on the real lock-directory engine ({@code backup.cluster = file:DIR}), one host: a directory
 * that another host synced in this firing (the leases settling while hosts join) waits for the next firing; a
 * run started by hand syncs it; a directory's run is recorded as soon as it is done.
 */
class FleetStepsTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectorySyncedElsewhereInThisFiringWaitsForTheNext() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("src/run-a"));
        Path b = Files.createDirectories(tmp.resolve("src/run-b"));
        Files.createDirectories(tmp.resolve("locks"));
        Properties p = new Properties();
        p.setProperty("backup.sources", a + "," + b);
        p.setProperty("backup.main-root", tmp.resolve("backup/main").toString());
        p.setProperty("backup.deleted-root", tmp.resolve("backup/deleted").toString());
        p.setProperty("backup.log-dir", tmp.resolve("logs").toString());
        p.setProperty("backup.lock-file", tmp.resolve("backup.lock").toString());
        p.setProperty("backup.exclude-file", "");
        p.setProperty("ceph.mount-point", "");
        p.setProperty("backup.cluster", "file:" + tmp.resolve("locks"));
        p.setProperty("backup.cluster.node-id", "h1");
        p.setProperty("backup.schedule", "0 0/10 * * * ?");
        Settings settings = Settings.load(Path.of("config/application.properties"), null, Map.of(), p);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Fleet fleet = new Fleet(settings);
            fleet.bind(camel);
            fleet.joinNow();
            try {
                FleetSteps steps = new FleetSteps(fleet);
                ZonedDateTime firing = ZonedDateTime.now().withNano(0);
                // another host's run of this firing (it started a second after the firing) synced run-a
                fleet.records().publish(a, r -> r.ran("h0", firing.plusSeconds(1).toInstant().toString(),
                        DirectoryStatus.SUCCESS, ""));

                BackupRun scheduled = steps.claim(run(firing.plusSeconds(2), a, b), Date.from(firing.toInstant()));
                assertEquals(List.of(b), sources(scheduled), "run-a was synced in this firing by another host");
                assertTrue(scheduled.elsewhere().containsKey(a), scheduled.elsewhere().toString());

                BackupRun byHand = steps.claim(run(firing.plusSeconds(3), a, b), null);
                assertEquals(List.of(a, b), sources(byHand), "a run started by hand syncs what this host holds");

                BackupRun next = steps.claim(run(firing.plusSeconds(600), a, b), Date.from(firing.plusSeconds(600)
                        .toInstant()));
                assertEquals(List.of(a, b), sources(next), "the next firing syncs run-a here");

                // a directory's run is recorded when it is done, not only at the end of the run
                DirectoryRun done = next.directories().get(0);
                done.succeeded();
                steps.hold(done);
                steps.done(next, done);
                FleetRecords.DirectoryRecord record = fleet.records().directory(a).orElseThrow();
                assertEquals(next.started().toInstant().toString(), record.lastRun(), record.toString());
                assertEquals("h1", record.host(), record.toString());
            } finally {
                fleet.leave();
            }
        }
    }

    private static BackupRun run(ZonedDateTime at, Path... sources) {
        return new BackupRun(RunPlan.of(at, false, false, List.of(sources), Path.of("/nonexistent/main"),
                Path.of("/nonexistent/deleted")), null);
    }

    private static List<Path> sources(BackupRun run) {
        return run.directories().stream().map(DirectoryRun::source).toList();
    }
}
