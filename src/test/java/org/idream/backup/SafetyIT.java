package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two runs at once, signals and kill -9, with the real launcher, real processes, real rclone. */
class SafetyIT {
    // (not final: CephSafetyIT runs the same tests with the sources on a CephFS)
    @TempDir
    Path tmp;

    /** A backup of two sources; here on the local disk (CephSafetyIT: on the CephFS). */
    protected BackupFixture fixture(Path root, String... sources) throws IOException {
        return new BackupFixture(root, sources);
    }

    private BackupFixture slowBackup(String extraConf) throws IOException {
        BackupFixture b = fixture(tmp, "data", "data3");
        Files.write(b.source(0).resolve("big.bin"), Trees.bytes(6 << 20, 7));
        write(b.source(0).resolve("small.txt"), "small");
        write(b.source(1).resolve("other.txt"), "other");
        b.faultyRclone("MATCH=nothing\nEXTRA='--bwlimit 1M'\n" + extraConf);
        b.config.put("backup.progress-interval", "1s");
        b.writeConfig();
        return b;
    }

    private Process start(BackupFixture b, String name) throws IOException {
        return Processes.start(tmp, tmp.resolve(name + ".out"), List.of(Processes.LAUNCHER.toString(), "--once",
                "--config", b.configFile.toString()));
    }

    /** Waits until the newest run log holds {@code text}. */
    private static void awaitLog(BackupFixture b, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (Path p : b.logs()) {
                if (p.toString().endsWith(".log") && Files.readString(p).contains(text)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no run log says '" + text + "'");
    }

    private static List<ProcessHandle> rclonesWritingTo(Path mirror) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> List.of(a).contains(mirror.toString())).orElse(false)).toList();
    }

    @Test
    void aSecondRunExitsThreeAtOnceAndTheFirstCompletes() throws Exception {
        BackupFixture b = slowBackup("");
        Process first = start(b, "first");
        awaitLog(b, "lock: " + tmp.resolve("backup.lock") + " taken");

        long t0 = System.nanoTime();
        Processes.Done second = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 60);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(3, second.code(), second.output());
        assertTrue(second.output().contains("another run holds the lock " + tmp.resolve("backup.lock") + ": pid "
                + first.pid()), second.output());
        assertTrue(seconds < 15, "at once, not after the first run: " + seconds + " s");
        assertTrue(first.isAlive(), "the second run did not stop the first");

        assertTrue(first.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.out")));
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
        }
        assertFalse(Files.exists(tmp.resolve("backup.lock")));
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143, interrupted-term", "INT, 130, interrupted-int"})
    void aSignalMidSyncStopsRcloneReleasesTheLockAndTheReportSaysInterrupted(String signal, int code,
            String outcome) throws Exception {
        BackupFixture b = slowBackup("");
        Process run = start(b, "run");
        awaitLog(b, "] progress: ");
        Path mirror = b.mirror(b.source(0));
        assertFalse(rclonesWritingTo(mirror).isEmpty(), "rclone is writing");

        new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).start().waitFor();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
        assertEquals(code, run.exitValue(), Files.readString(tmp.resolve("run.out")));
        assertEquals(List.of(), rclonesWritingTo(mirror), "no rclone left running");
        assertFalse(Files.exists(tmp.resolve("backup.lock")), "the lock file is removed");
        JsonNode report = BackupFixture.JSON.readTree(b.logs().stream()
                .filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
        assertEquals(outcome, report.get("outcome").asText());
        assertEquals(code, report.get("exitCode").asInt());
        String log = Files.readString(b.logs().stream().filter(p -> p.toString().endsWith(".log")).findFirst()
                .orElseThrow());
        assertTrue(log.contains("[WARNING] received SIG" + signal), log);
        assertTrue(log.contains("lock: released"), log);

        // the next run completes normally and nothing was lost
        b.faultyRclone("MATCH=nothing\n");
        b.writeConfig();
        Processes.Done next = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120);
        assertEquals(0, next.code(), next.output());
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
        }
    }

    /** The hidden work files of manifests in the deleted area. */
    private static List<Path> workFiles(BackupFixture b) throws IOException {
        if (!Files.isDirectory(b.deletedRoot)) {
            return List.of();
        }
        try (var all = Files.walk(b.deletedRoot)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".work")).toList();
        }
    }

    @Test
    void killNineMidSyncLeavesNoLockAndTheNextRunNeverSyncsUnderTheOrphanedRclone() throws Exception {
        // slow enough (6 MiB at 300 KiB/s) that the orphan outlives the next run for sure
        BackupFixture b = slowBackup("DETACH_LOG=" + tmp.resolve("orphan.log") + "\nEXTRA='--bwlimit 300k'\n");
        Process run = start(b, "run");
        Path mirror = b.mirror(b.source(0));
        long deadline = System.currentTimeMillis() + 60_000;
        while (rclonesWritingTo(mirror).stream().noneMatch(p -> p.info().command().orElse("").endsWith("rclone"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        run.destroyForcibly().waitFor(); // kill -9 of the JVM
        List<ProcessHandle> orphans = rclonesWritingTo(mirror);
        assertFalse(orphans.isEmpty(), "its rclone lives on");
        assertTrue(Files.exists(tmp.resolve("backup.lock")), "a stale lock file is left ...");
        List<Path> work = workFiles(b);
        assertFalse(work.isEmpty(), "the killed run's manifest work file is left");
        Processes.Done runs = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "runs", "--config",
                b.configFile.toString()), 120);
        assertEquals(0, runs.code(), runs.output());
        assertTrue(runs.output().lines().anyMatch(l -> l.contains("killed: no report")), "runs shows the killed run: "
                + runs.output());

        b.faultyRclone("MATCH=nothing\n");
        b.writeConfig();
        Processes.Done during = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120);
        // ... which does not block, but the orphan's mirror is left to the orphan
        assertEquals(1, during.code(), during.output());
        assertTrue(during.output().contains("is still writing to " + mirror), during.output());
        assertTrue(during.output().contains("a run that did not finish (killed?) left"), during.output());
        for (Path w : work) {
            assertFalse(Files.exists(w), "the next run removed " + w);
        }
        Trees.assertSameTree(b.source(1), b.mirror(b.source(1)));

        // the mirror's lock is free again when the orphaned rclone has ended
        Path dirLock = org.idream.backup.model.Layout.directoryLock(tmp.resolve("backup.lock"), b.source(0));
        long until = System.currentTimeMillis() + 120_000;
        while (new ProcessBuilder("flock", "--nonblock", dirLock.toString(), "true").start().waitFor() != 0) {
            assertTrue(System.currentTimeMillis() < until, "the orphaned rclone never ended");
            Thread.sleep(500);
        }
        Processes.Done after = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120);
        assertEquals(0, after.code(), after.output());
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
        }
    }
}
