package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup pipeline end to end: the real program, the real rclone, real directory trees. */
class BackupPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void firstRunMirrorsBothSourcesAndASecondRunTransfersNothing() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("run1/a.txt"), "alpha");
        write(b.source(0).resolve("run1/deep/er/b.bin"), "beta");
        write(b.source(1).resolve("c.txt"), "gamma");

        BackupFixture.Run first = b.run().expect(0);
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
            JsonNode d = first.directory(s);
            assertEquals("success", d.get("status").asText());
            assertEquals("passed", d.get("validation").asText());
            assertEquals(d.get("sourceFiles").asLong(), d.get("mirrorFiles").asLong());
        }
        assertEquals(2, first.directory(b.source(0)).get("filesTransferred").asLong());
        assertEquals(9, first.directory(b.source(0)).get("bytesTransferred").asLong());
        assertEquals("success", first.report().get("outcome").asText());
        assertTrue(first.log().contains("[INFO] backup run started"), "log line format of the seed");

        BackupFixture.Run second = b.run().expect(0);
        for (Path s : b.sources) {
            assertEquals(0, second.directory(s).get("filesTransferred").asLong(), "nothing transferred");
            assertEquals(0, second.directory(s).get("filesMovedToDeleted").asLong());
            Trees.assertSameTree(s, b.mirror(s));
            assertTrue(b.deletedAreas(s).isEmpty(), "nothing displaced");
        }
        assertNotEquals(first.logFile(), second.logFile(), "every run has its own log");
    }

    @Test
    void changedAndDeletedFilesGoToTheDeletedAreaWithTheirOldContent() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("keep.txt"), "kept");
        write(s.resolve("change-same-size.txt"), "version-1");
        write(s.resolve("change-size.txt"), "short");
        write(s.resolve("sub/delete-me.txt"), "doomed");
        b.run().expect(0);

        write(s.resolve("change-same-size.txt"), "version-2");
        write(s.resolve("change-size.txt"), "a much longer second version");
        Files.delete(s.resolve("sub/delete-me.txt"));
        BackupFixture.Run run = b.run().expect(0);

        Trees.assertSameTree(s, b.mirror(s));
        List<Path> areas = b.deletedAreas(s);
        assertEquals(1, areas.size(), "one folder of the deleted area for this run: " + areas);
        Path area = areas.get(0);
        assertEquals("version-1", Files.readString(area.resolve("change-same-size.txt")));
        assertEquals("short", Files.readString(area.resolve("change-size.txt")));
        assertEquals("doomed", Files.readString(area.resolve("sub/delete-me.txt")));
        assertFalse(Files.exists(area.resolve("keep.txt")));
        assertEquals(3, run.directory(s).get("filesMovedToDeleted").asLong());
        assertEquals(area.toString(), run.directory(s).get("deletedArea").asText());
        assertTrue(area.startsWith(b.deletedRoot), "date folder first: " + area);
        assertTrue(b.deletedRoot.relativize(area).toString().matches("\\d{4}-\\d{2}-\\d{2}/\\d{2}-\\d{2}-\\d{2}(_\\d+)?/.*"),
                "<deleted-root>/YYYY-MM-DD/HH-MM-SS/<source path>: " + area);
        assertTrue(area.endsWith(s.getRoot().relativize(s)), "the source's absolute path under the run folder");
    }

    @Test
    void sameNamesInTwoSourcesAndTwoRunsOnOneDayDoNotCollide() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        for (Path s : b.sources) {
            write(s.resolve("x.txt"), "v1 of " + s.getFileName());
        }
        b.run().expect(0);
        for (Path s : b.sources) {
            write(s.resolve("x.txt"), "v2 of " + s.getFileName());
        }
        b.run().expect(0);
        for (Path s : b.sources) {
            write(s.resolve("x.txt"), "v3 of " + s.getFileName());
        }
        b.run().expect(0);

        for (Path s : b.sources) {
            List<Path> areas = b.deletedAreas(s);
            assertEquals(2, areas.size(), "two runs displaced a version: " + areas);
            assertEquals("v1 of " + s.getFileName(), Files.readString(areas.get(0).resolve("x.txt")));
            assertEquals("v2 of " + s.getFileName(), Files.readString(areas.get(1).resolve("x.txt")));
            assertEquals("v3 of " + s.getFileName(), Files.readString(b.mirror(s).resolve("x.txt")));
        }
    }

    @Test
    void excludeFilePatternsAreHonouredAndTheCountsStillValidate() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("a.txt"), "a");
        write(s.resolve("b.tmp"), "scratch");
        write(s.resolve("cache/big.dat"), "cached");
        write(s.resolve("sub/c.txt"), "c");
        Path exclude = tmp.resolve("exclude-file.txt");
        Files.writeString(exclude, "*.tmp\ncache/**\n");
        b.config.put("backup.exclude-file", exclude.toString());

        BackupFixture.Run run = b.run().expect(0);
        assertEquals(java.util.Set.of("a.txt", "sub/c.txt"), Trees.files(b.mirror(s)));
        assertEquals(2, run.directory(s).get("sourceFiles").asLong(), "the source is counted with the filters");
        assertEquals("passed", run.directory(s).get("validation").asText());
        assertTrue(run.log().contains("passed with --exclude-from"));
    }

    @Test
    void aMissingExcludeFileIsAWarningAndTheRunGoesOn() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.tmp"), "a");
        b.config.put("backup.exclude-file", tmp.resolve("no-such-file.txt").toString());
        BackupFixture.Run run = b.run().expect(0);
        assertTrue(run.log().contains("[WARNING] exclude file " + tmp.resolve("no-such-file.txt") + " does not exist"));
        assertTrue(Files.exists(b.mirror(b.source(0)).resolve("a.tmp")));
    }

    @Test
    void hostileNamesSymlinksAndEmptyDirectoriesSurvive() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        for (String name : List.of("with space.txt", "quote'single.txt", "dq\"double.txt", "-leading-dash.txt",
                "--looks-like-a-flag", "юникод файл.txt", "日本語.txt", "comma,name.txt", "new\nline.txt",
                "tab\tname.txt", "$(touch pwned).txt", "back\\slash.txt")) {
            write(s.resolve("names").resolve(name), "content of " + name);
        }
        write(s.resolve("target dir/file.txt"), "target");
        Files.createSymbolicLink(s.resolve("relative link"), Path.of("target dir/file.txt"));
        Files.createSymbolicLink(s.resolve("absolute-link"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(s.resolve("dangling"), Path.of("does/not/exist"));
        Files.createSymbolicLink(s.resolve("dir-link"), Path.of("target dir"));
        Files.createDirectories(s.resolve("empty"));
        Files.createDirectories(s.resolve("nested/empty too"));

        BackupFixture.Run run = b.run().expect(0);
        Trees.assertSameTree(s, b.mirror(s));
        assertTrue(Files.isSymbolicLink(b.mirror(s).resolve("relative link")), "links are kept as links");
        assertFalse(Files.exists(tmp.resolve("pwned")) || Files.exists(Path.of("pwned")), "no shell");
        assertEquals("passed", run.directory(s).get("validation").asText());

        // and a second run changes nothing
        BackupFixture.Run second = b.run().expect(0);
        assertEquals(0, second.directory(s).get("filesTransferred").asLong());
        assertTrue(b.deletedAreas(s).isEmpty());
    }

    @Test
    void typeChangesKeepTheOldVersionAndNeverWriteThroughALink() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "a file outside the backup");
        Files.createSymbolicLink(s.resolve("evil"), victim);          // a link to a file on the backup host
        Files.createSymbolicLink(s.resolve("dangling"), Path.of("nowhere"));
        write(s.resolve("was-a-file"), "old content");
        write(s.resolve("was-a-dir/inside.txt"), "inside");
        write(s.resolve("becomes-a-dir"), "plain");
        b.run().expect(0);

        Files.delete(s.resolve("evil"));
        write(s.resolve("evil"), "content that must not reach the victim");
        Files.delete(s.resolve("dangling"));
        write(s.resolve("dangling"), "now a regular file");
        Files.delete(s.resolve("was-a-file"));
        Files.createSymbolicLink(s.resolve("was-a-file"), Path.of("somewhere"));
        BackupFixture.deleteTree(s.resolve("was-a-dir"));
        write(s.resolve("was-a-dir"), "now a file");
        Files.delete(s.resolve("becomes-a-dir"));
        write(s.resolve("becomes-a-dir/f.txt"), "in a dir");
        b.run().expect(0);

        assertEquals("a file outside the backup", Files.readString(victim), "never written through a link");
        assertFalse(Files.exists(b.mirror(s).resolve("nowhere")), "nor through a dangling one");
        Trees.assertSameTree(s, b.mirror(s));
        Path area = b.deletedAreas(s).get(0);
        assertEquals(victim, Files.readSymbolicLink(area.resolve("evil")), "the old link is kept");
        assertEquals(Path.of("nowhere"), Files.readSymbolicLink(area.resolve("dangling")));
        assertEquals("old content", Files.readString(area.resolve("was-a-file")), "the old file is kept");
        assertEquals("inside", Files.readString(area.resolve("was-a-dir/inside.txt")));
        assertEquals("plain", Files.readString(area.resolve("becomes-a-dir")));
    }

    @Test
    void aFlakyDirectoryIsRetriedAsAWholeAndTheRunSucceeds() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        b.faultyRclone("MATCH=data3\nFAILURES=2\nEXIT=5\nRUN_FIRST=yes\n");

        BackupFixture.Run run = b.run().expect(0);
        JsonNode flaky = run.directory(b.source(1));
        assertEquals(3, flaky.get("attempts").asInt());
        assertEquals("success", flaky.get("status").asText());
        assertEquals(1, run.directory(b.source(0)).get("attempts").asInt());
        assertEquals(3, b.syncCalls().stream().filter(c -> c.endsWith("data3")).count(), "rclone ran 3 times");
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
        }
        assertTrue(run.log().contains("[WARNING] [" + b.source(1) + "] attempt 1 failed: rclone exit 5"));
    }

    @Test
    void aDirectoryThatKeepsFailingFailsTheRunWhileTheOtherCompletes() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        b.faultyRclone("MATCH=data3\nFAILURES=-1\nEXIT=6\n");

        BackupFixture.Run run = b.run().expect(1);
        JsonNode failing = run.directory(b.source(1));
        assertEquals("failed", failing.get("status").asText());
        assertEquals(3, failing.get("attempts").asInt(), "backup.sync-attempts");
        assertEquals(6, failing.get("rcloneExitCode").asInt());
        assertTrue(failing.get("error").asText().contains("rclone exit 6"));
        assertEquals("success", run.directory(b.source(0)).get("status").asText());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
        assertEquals("failed", run.report().get("outcome").asText());
        assertTrue(run.log().contains("[ERROR] [" + b.source(1) + "] FAILED after 3 attempt(s)"));
    }

    @Test
    void exitOneIsTriedTwiceAndFatalCodesOnce() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        b.faultyRclone("MATCH=data\nFAILURES=-1\nEXIT=1\n");
        BackupFixture.Run run = b.run().expect(1);
        assertEquals(2, run.directory(b.source(0)).get("attempts").asInt(), "exit 1: one more try");

        b.faultyRclone("MATCH=data\nFAILURES=-1\nEXIT=7\n");
        run = b.run().expect(1);
        assertEquals(1, run.directory(b.source(0)).get("attempts").asInt(), "exit 7 is fatal: no retry");
        assertEquals(1, run.directory(b.source(1)).get("attempts").asInt());
    }

    @Test
    void aDamagedMirrorCopyIsRepairedAndTheDamagedCopyKept() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        byte[] content = Trees.bytes(100_000, 1);
        Files.write(s.resolve("f.bin"), content);
        b.run().expect(0);

        Path copy = b.mirror(s).resolve("f.bin");
        damage(copy);
        BackupFixture.Run run = b.run().expect(0);
        assertArrayEquals(content, Files.readAllBytes(copy), "repaired");
        Path area = b.deletedAreas(s).get(0);
        assertEquals(50_000, Files.size(area.resolve("f.bin")), "the damaged copy is kept in the deleted area");
        assertEquals(1, run.directory(s).get("filesTransferred").asLong());
    }

    @Test
    void withUpdateTheSameDamageFailsValidationInsteadOfPassingSilently() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        Files.write(s.resolve("f.bin"), Trees.bytes(100_000, 2));
        b.run().expect(0);

        damage(b.mirror(s).resolve("f.bin"));
        b.config.put("rclone.update", "true");
        BackupFixture.Run run = b.run().expect(1);
        JsonNode d = run.directory(s);
        assertEquals("failed", d.get("validation").asText());
        assertEquals(100_000, d.get("sourceBytes").asLong());
        assertEquals(50_000, d.get("mirrorBytes").asLong());
        assertTrue(run.log().contains("validation failed"));
        assertEquals(1, d.get("attempts").asInt(), "a failed validation is not retried");
    }

    /** Truncates a file to half and makes it newer than anything: a copy cut short by a crash. */
    private static void damage(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(50_000);
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(3600)));
    }

    @Test
    void dryRunWritesNothingToTheBackup() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        write(b.source(1).resolve("c.txt"), "c");

        BackupFixture.Run run = b.run("--dry-run").expect(0);
        assertFalse(Files.exists(b.mainRoot), "no mirror root");
        assertFalse(Files.exists(b.deletedRoot), "no deleted area");
        assertTrue(run.report().get("dryRun").asBoolean());
        assertEquals("skipped", run.directory(b.source(0)).get("validation").asText());

        // with an existing backup: changes are not applied, nothing is moved
        b.run().expect(0);
        var before = Trees.describe(b.root.resolve("backup"));
        write(b.source(0).resolve("a.txt"), "changed");
        Files.delete(b.source(1).resolve("b.txt"));
        b.run("--dry-run").expect(0);
        assertEquals(before, Trees.describe(b.root.resolve("backup")), "the backup is untouched");
    }

    @Test
    void exactlyParallelismDirectoriesSyncAtOnce() throws IOException {
        // Eight directories, four at a time, five runs: the peak must be four every time. (A pool
        // without a queue once ran a sync on the thread that hands out the next directory, which then
        // waited for that whole sync: three at once instead of four, in about one run in four.)
        String[] names = {"d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"};
        BackupFixture b = new BackupFixture(tmp, names);
        for (Path s : b.sources) {
            write(s.resolve("f.txt"), s.toString());
        }
        b.faultyRclone("SLEEP=1\n");
        b.config.put("backup.parallelism", "4");
        for (int run = 1; run <= 5; run++) {
            String log = b.run().expect(0).log();
            assertEquals(4, peakOfSyncs(log), "run " + run + ":\n" + log);
        }
        b.config.put("backup.parallelism", "2");
        String log = b.run().expect(0).log();
        assertEquals(2, peakOfSyncs(log), log);
    }

    /** Replays a run's log: +1 at each sync's start, -1 at its end; the peak is the parallelism. */
    private static int peakOfSyncs(String log) {
        int running = 0;
        int peak = 0;
        for (String line : log.lines().toList()) {
            if (line.contains("] attempt 1 of at most")) {
                peak = Math.max(peak, ++running);
            } else if (line.contains("] rclone sync finished")) {
                running--;
            }
        }
        return peak;
    }

    @Test
    void rclonesProgressReachesTheLogWhileItRuns() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Files.write(b.source(0).resolve("slow.bin"), Trees.bytes(4 << 20, 3));
        b.faultyRclone("EXTRA='--bwlimit 1M'\n");
        b.config.put("backup.progress-interval", "1s");

        BackupFixture.Run run = b.run().expect(0);
        String log = run.log();
        Pattern progress = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d),\\d+ \\[INFO\\] \\[" + Pattern.quote(b.source(0).toString())
                + "\\] progress: .* of 4\\.0 MiB");
        Matcher m = progress.matcher(log);
        int lines = 0;
        String first = null;
        while (m.find()) {
            lines++;
            first = first == null ? m.group(1) : first;
        }
        assertTrue(lines >= 3, "a progress line every second of a ~4 s sync, got " + lines + ":\n" + log);
        Matcher done = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d),\\d+ \\[INFO\\] \\[[^]]+\\] rclone sync finished").matcher(log);
        assertTrue(done.find());
        assertTrue(first.compareTo(done.group(1)) < 0, "progress was logged before the sync ended");
    }

    @Test
    void offCephFsThereIsNoSnapshotUnlessOneIsRequiredAndEverySyncIsFull() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "alpha");
        BackupFixture.Run auto = b.run().expect(0);
        JsonNode d = auto.directory(b.source(0));
        assertTrue(d.get("snapshot").isNull(), d.toString());
        assertEquals("full", d.get("sync").asText());
        assertTrue(d.get("syncReason").asText().startsWith("not on CephFS"), d.toString());

        b.config.put("backup.snapshots", "required");
        BackupFixture.Run required = b.run().expect(1);
        for (Path s : b.sources) {
            JsonNode r = required.directory(s);
            assertEquals("failed", r.get("status").asText());
            assertTrue(r.get("error").asText().contains("no snapshot: the source is not on CephFS (backup.snapshots = "
                    + "required)"), r.toString());
        }
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }
}
