package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.idream.backup.safety.RunLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores from the mirror and from the deleted area, as of moments between runs, compared byte for
 * byte with snapshots the test took at those moments.
 */
class RestoreTest {
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @TempDir
    Path tmp;
    private BackupFixture b;
    private Path s;
    private final List<String> moments = new ArrayList<>();
    private final List<TreeMap<String, String>> snapshots = new ArrayList<>();

    /**
     * A run, then the moment right after it (the next whole second) and the source's state then; the next
     * run starts after that second (a moment given to the second stands for the whole second).
     */
    private void runAndSnapshot() throws Exception {
        b.run().expect(0);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(moment.plusMillis(1100))) {
            Thread.sleep(50);
        }
        moments.add(MOMENT.format(moment));
        snapshots.add(Trees.filesAndLinks(s));
    }

    @BeforeEach
    void fourRunsWithChangesBetweenThem() throws Exception {
        b = new BackupFixture(tmp, "data");
        s = b.source(0);
        write(s.resolve("a.txt"), "a, version 1");
        write(s.resolve("b.txt"), "b-one");
        write(s.resolve("dir/c.txt"), "c, version 1");
        write(s.resolve("dir/deeper/keep.txt"), "kept throughout");
        write(s.resolve("with space ünïcödé.txt"), "names");
        Files.createSymbolicLink(s.resolve("link"), Path.of("a.txt"));
        runAndSnapshot(); // run 1

        write(s.resolve("a.txt"), "a, version 2, longer");
        write(s.resolve("b.txt"), "b-two");                 // same size, other content
        BackupFixture.deleteTree(s.resolve("dir/c.txt"));
        write(s.resolve("d.txt"), "d, new in run 2");
        Files.delete(s.resolve("link"));
        Files.createSymbolicLink(s.resolve("link"), Path.of("b.txt"));
        runAndSnapshot(); // run 2

        Files.delete(s.resolve("a.txt"));
        write(s.resolve("dir/c.txt"), "c, version 2 (recreated)");
        write(s.resolve("d.txt"), "d, changed in run 3");
        runAndSnapshot(); // run 3

        write(s.resolve("a.txt"), "a, version 3 (recreated)");
        runAndSnapshot(); // run 4
    }

    @Test
    void theWholeSourceAsOfEveryMomentEqualsTheSnapshotTakenThen() throws Exception {
        for (int i = 0; i < moments.size(); i++) {
            Path target = tmp.resolve("restored-" + i);
            assertEquals(0, b.command("restore", s.toString(), "--to", target.toString(), "--as-of", moments.get(i)),
                    "restore as of " + moments.get(i));
            assertEquals(snapshots.get(i), Trees.filesAndLinks(target), "the source as it was at " + moments.get(i));
        }
        // and without --as-of: the mirror, which is the last state
        Path now = tmp.resolve("restored-now");
        assertEquals(0, b.command("restore", s.toString(), "--to", now.toString()));
        Trees.assertSameTree(s, now);
    }

    @Test
    void aDeletedFileComesBackAsItWas() throws Exception {
        // a.txt version 2 was deleted by run 3 (and recreated later): as of the moment after run 2
        Path target = tmp.resolve("one");
        assertEquals(0, b.command("restore", s.resolve("a.txt").toString(), "--to", target.toString(), "--as-of",
                moments.get(1)));
        assertEquals("a, version 2, longer", Files.readString(target.resolve("a.txt")));
        try (var files = Files.list(target)) {
            assertEquals(1, files.count(), "only the file");
        }
        // a whole sub-folder as of run 1: dir/c.txt version 1 came from the deleted area
        Path dir = tmp.resolve("dir");
        assertEquals(0, b.command("restore", s.resolve("dir").toString(), "--to", dir.toString(), "--as-of",
                moments.get(0)));
        assertEquals("c, version 1", Files.readString(dir.resolve("c.txt")));
        assertEquals("kept throughout", Files.readString(dir.resolve("deeper/keep.txt")));
    }

    @Test
    void versionsListsExactlyTheVersionsTheBackupHolds() throws Exception {
        String out = stdout(() -> b.command("versions", s.resolve("a.txt").toString()));
        List<String> lines = out.lines().filter(l -> l.startsWith("  ")).toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).contains("current (in the mirror)") && lines.get(0).contains(
                " " + "a, version 3 (recreated)".length() + " bytes"), out);
        assertTrue(lines.get(1).contains("replaced or deleted at the run of") && lines.get(1).contains(
                " " + "a, version 2, longer".length() + " bytes"), out);
        assertTrue(lines.get(2).contains(" " + "a, version 1".length() + " bytes"), out);
        for (String line : lines.subList(1, 3)) {
            Path where = Path.of(line.substring(line.lastIndexOf("  ") + 2));
            assertTrue(Files.exists(where), where.toString());
        }
    }

    @Test
    void asOfReadsIsoAndADateAloneAndTheFoldersRestorePointsAreListed() throws Exception {
        Path iso = tmp.resolve("iso");
        try (LogCapture log = new LogCapture()) {
            assertEquals(0, b.command("restore", s.toString(), "--to", iso.toString(), "--as-of",
                    moments.get(1).replace(' ', 'T')), "the form this program prints");
            assertEquals(snapshots.get(1), Trees.filesAndLinks(iso));
            assertFalse(log.text().contains(".rclonelink"), "rclone's name of a link never reaches the operator:\n"
                    + log.text());
        }
        Path day = tmp.resolve("day");
        assertEquals(0, b.command("restore", s.toString(), "--to", day.toString(), "--as-of",
                moments.get(3).substring(0, 10)), "a date alone: the end of that day");
        assertEquals(snapshots.get(3), Trees.filesAndLinks(day));

        String folder = stdout(() -> b.command("versions", s.resolve("dir").toString()));
        List<String> points = folder.lines().filter(l -> l.startsWith("  ")).toList();
        assertEquals(4, points.size(), folder);
        assertTrue(points.get(3).contains(" 2 files ") && points.get(0).contains(" 2 files "), folder);
        assertTrue(points.get(0).matches(".*restore --as-of \\d{4}-\\d{2}-\\d{2}/\\d{2}-\\d{2}-\\d{2}(_\\d+)?"), folder);

        String runs = stdout(() -> b.command("runs"));
        List<String> rows = runs.lines().filter(l -> l.contains("--as-of")).toList();
        assertEquals(4, rows.size(), runs);
        assertTrue(rows.get(0).contains("success") && rows.get(0).contains("1 full"), runs);
    }

    @Test
    void aRestoreWithoutAsOfKeepsEmptyFolders() throws Exception {
        Files.createDirectories(s.resolve("empty/inside"));
        b.run().expect(0);
        Path target = tmp.resolve("with-empty");
        assertEquals(0, b.command("restore", s.toString(), "--to", target.toString()));
        assertTrue(Files.isDirectory(target.resolve("empty/inside")));
        Trees.assertSameTree(s, target);
    }

    @Test
    void refusalsSayWhyAndWriteNothing() throws Exception {
        Path busy = tmp.resolve("busy");
        write(busy.resolve("something.txt"), "already here");
        try (LogCapture log = new LogCapture()) {
            assertEquals(2, b.command("restore", s.toString(), "--to", busy.toString()));
            assertTrue(log.text().contains("--to " + busy + " is not empty: give --force"), log.text());
            assertEquals(List.of("something.txt"), Files.list(busy).map(p -> p.getFileName().toString()).toList());

            Path inside = b.mainRoot.resolve("restore-here");
            assertEquals(2, b.command("restore", s.toString(), "--to", inside.toString()));
            assertTrue(log.text().contains("is inside the backup area backup.main-root"), log.text());
            assertFalse(Files.exists(inside));

            Path early = tmp.resolve("early");
            assertEquals(2, b.command("restore", s.toString(), "--to", early.toString(), "--as-of",
                    "2001-01-01 00:00"));
            assertTrue(log.text().contains("is before the oldest restorable moment of " + s), log.text());
            assertFalse(Files.exists(early));

            assertEquals(2, b.command("restore", tmp.resolve("elsewhere").toString(), "--to", early.toString()));
            assertTrue(log.text().contains("is not in any source of backup.sources"), log.text());
            assertFalse(Files.exists(early));
        }
        String err = stderr(() -> b.command("restore", s.toString(), "--to", tmp.resolve("x").toString(), "--as-of",
                "yesterday"));
        assertTrue(err.contains("--as-of 'yesterday' is not a restore point like"), err);
        assertFalse(Files.exists(tmp.resolve("x")));

        // with --force into the non-empty folder it works, and keeps what was there
        assertEquals(0, b.command("restore", s.toString(), "--to", busy.toString(), "--force"));
        assertTrue(Files.exists(busy.resolve("something.txt")));
        assertEquals("a, version 3 (recreated)", Files.readString(busy.resolve("a.txt")));
    }

    @Test
    void aRestoreWaitsForNoBackupButNoLockReadsAnyway() throws Exception {
        try (RunLock held = RunLock.acquire(tmp.resolve("backup.lock")); LogCapture log = new LogCapture()) {
            Path target = tmp.resolve("t");
            assertEquals(3, b.command("restore", s.toString(), "--to", target.toString()));
            assertTrue(log.text().contains("a backup holds the lock"), log.text());
            assertFalse(Files.exists(target));
            assertEquals(0, b.command("restore", s.toString(), "--to", target.toString(), "--no-lock"));
            Trees.assertSameTree(s, target);
        }
    }

    private interface Body {
        int run() throws Exception;
    }

    private static String stdout(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String stderr(Body body) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

}
