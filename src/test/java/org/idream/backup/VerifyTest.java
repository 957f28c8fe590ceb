package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.restore.Archive;
import org.idream.backup.verify.Slice;
import org.idream.backup.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify finds what rotted on the backup disk: a byte flipped (same size, same modification time) in a mirror
 * file and in a version of the deleted area, each named once, exit 1; the next backup copies the mirror's
 * again from its source; the deleted area's is still reported; slices of the data together read all of it.
 */
class VerifyTest {
    @TempDir
    Path tmp;

    /** Flips one byte in the middle of a file, leaving its size and modification time as they were. */
    private static void rot(Path file) throws Exception {
        FileTime before = Files.getLastModifiedTime(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        Files.setLastModifiedTime(file, before);
    }

    @Test
    void aFlippedByteIsFoundInTheMirrorAndTheDeletedAreaAndTheMirrorIsRepaired() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("a.txt"), "the first file's content, a few bytes long");
        write(s.resolve("b.txt"), "b, version 1, to be displaced");
        write(s.resolve("dir/c.txt"), "c");
        b.run().expect(0);
        write(s.resolve("b.txt"), "b, version 2");
        BackupFixture.Run second = b.run().expect(0);
        Path displaced = Path.of(second.directory(s).get("deletedArea").asText()).resolve("b.txt");
        assertTrue(Files.isRegularFile(displaced));
        try (LogCapture log = new LogCapture()) {
            assertEquals(0, b.command("verify", "--read-data"), log.text());
            assertTrue(log.text().contains("verify: all is well"), log.text());
        }

        Path mirrored = b.mirror(s).resolve("a.txt");
        rot(mirrored);
        rot(displaced);
        try (LogCapture log = new LogCapture()) {
            assertEquals(0, b.command("verify"), "sizes and times only: a flipped byte is not seen");
            assertEquals(1, b.command("verify", "--read-data"));
            List<String> damaged = log.text().lines().filter(l -> l.contains("verify: DAMAGED")).toList();
            assertEquals(2, damaged.size(), log.text());
            assertTrue(damaged.stream().anyMatch(l -> l.contains(mirrored + " (its content changed")), log.text());
            assertTrue(damaged.stream().anyMatch(l -> l.contains(displaced + " (its content changed")), log.text());
        }
        int inSlices = 0;
        for (String slice : List.of("1/3", "2/3", "3/3")) {
            try (LogCapture log = new LogCapture()) {
                b.command("verify", "--read-data-subset", slice);
                inSlices += (int) log.text().lines().filter(l -> l.contains("verify: DAMAGED")).count();
            }
        }
        assertEquals(2, inSlices, "three slices read every file once");

        // compared by size and time only, rclone alone would never copy it again: the verify's record does
        b.config.put("rclone.checksum", "false");
        BackupFixture.Run third = b.run().expect(0);
        assertTrue(third.log().contains("1 file(s) of the mirror a verify found damaged: copied again from the source"),
                third.log());
        assertEquals(Files.readString(s.resolve("a.txt")), Files.readString(mirrored));
        try (LogCapture log = new LogCapture()) {
            assertEquals(1, b.command("verify", "--read-data"));
            List<String> damaged = log.text().lines().filter(l -> l.contains("verify: DAMAGED")).toList();
            assertEquals(1, damaged.size(), log.text());
            assertTrue(damaged.get(0).contains(displaced.toString()), "the deleted area's, never dropped");
        }
        Files.delete(b.mirror(s).resolve("dir/c.txt"));
        try (LogCapture log = new LogCapture()) {
            assertEquals(1, b.command("verify"));
            assertTrue(log.text().contains(b.mirror(s).resolve("dir/c.txt") + " (missing"), log.text());
        }
        assertFalse(Files.exists(tmp.resolve("x")));
        assertEquals(2, b.command("verify", "--read-data-subset", "4/3"), "a slice that is none: usage");
    }

    /**
     * A mirror of more entries than one batch of checks (their lstats a few at once): every kind of damage is found
     * wherever it lies, each named once, and every entry is counted.
     */
    @Test
    void aLargeMirrorIsCheckedWholeAndEachDamageNamedOnce() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        int n = 9_000;
        for (int i = 0; i < n; i++) {
            write(s.resolve(String.format("d%02d/f%05d", i / 1000, i)), "content of file " + i);
        }
        Files.createSymbolicLink(s.resolve("d05/link"), Path.of("f05000"));
        b.run().expect(0);
        Path m = b.mirror(s);
        Files.delete(m.resolve("d00/f00007"));                              // the first batch
        Files.writeString(m.resolve("d04/f04500"), "and more", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(m.resolve("d05/link"));
        Files.createSymbolicLink(m.resolve("d05/link"), Path.of("elsewhere"));
        rot(m.resolve("d08/f08999"));                                       // the last batch, content only
        try (var gone = Files.walk(m.resolve("d06"))) {                     // a folder and its 1 000 files
            gone.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (LogCapture log = new LogCapture()) {
            assertEquals(1, b.command("verify", "--read-data"), log.text());
            List<String> damaged = log.text().lines().filter(l -> l.contains("verify: DAMAGED")).toList();
            assertEquals(4 + 1 + 1_000, damaged.size(), log.text());
            int size = "content of file 4500".length();
            for (String one : List.of(m.resolve("d00/f00007") + " (missing",
                    m.resolve("d04/f04500") + " (" + (size + 8) + " bytes, recorded " + size,
                    m.resolve("d05/link") + " (a link to elsewhere, recorded to f05000",
                    m.resolve("d08/f08999") + " (its content changed", m.resolve("d06") + " (a folder missing",
                    m.resolve("d06/f06999") + " (missing")) {
                assertTrue(damaged.stream().anyMatch(l -> l.contains(one)), one + " in " + damaged);
            }
            // 9 folders, 9 000 files and the link (the root is not an entry)
            assertTrue(log.text().contains("verify: 1005 damaged or missing: " + (9 + n + 1) + " entries checked, "
                    + (n - 2 - 1_000) + " file(s) read whole"), log.text());
        }
    }

    @Test
    void aRunReadsTheNightsSliceAfterItButNeverJudgesAMirrorItsFailedSyncChanged() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        Path prom = tmp.resolve("ceph_backup.prom");
        b.config.put("backup.metrics-textfile", prom.toString());
        b.config.put("backup.verify-subset", "1");                  // every night reads everything
        write(s.resolve("a.txt"), "a, version 1");
        write(s.resolve("dir/c.txt"), "c");
        try (LogCapture log = new LogCapture()) {
            b.run().expect(0);
            assertTrue(log.text().contains("verify: all is well: 3 entries checked, 2 file(s) read whole"), log.text());
        }
        String metrics = Files.readString(prom);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("backup_verify_checked_files") && l.endsWith(" 3.0")),
                metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("backup_verify_damaged_files") && l.endsWith(" 0.0")),
                metrics);

        // a sync that copied the new version and then failed: the mirror is ahead of its last manifest
        write(s.resolve("a.txt"), "a, version 2, longer than the first");
        b.faultyRclone("MATCH=data\nFAILURES=-1\nEXIT=7\nRUN_FIRST=yes\n");
        try (LogCapture log = new LogCapture()) {
            b.run().expect(1);
            assertEquals("a, version 2, longer than the first", Files.readString(b.mirror(s).resolve("a.txt")));
            assertFalse(log.text().contains("verify: DAMAGED"), log.text());
            assertTrue(log.text().contains("verify: " + s + ": its mirror is not checked: the last run of it failed"),
                    log.text());
        }
        // a run the preconditions stopped reads nothing: the backup disk may be the thing that is missing
        b.faultyRclone("");
        b.config.put("ceph.status-command", "echo health: HEALTH_ERR 1 filesystem is offline");
        try (LogCapture log = new LogCapture()) {
            b.run().expect(4);
            assertFalse(log.text().contains("verify:"), log.text());
        }
    }

    /**
     * The nightly slice checks each run folder of the deleted area on its run's day and every M days after (a folder
     * costs a read of the whole manifest before it), and reads its versions whole then: what a night displaced the
     * same night; in M nights every version checked and read once, a damaged one named on exactly one night; the
     * mirror checked whole every night. A slice asked for by hand checks every run folder.
     */
    @Test
    void theNightlySliceChecksEachRunFolderOfTheDeletedAreaOnceInItsNights() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        for (int i = 0; i < 6; i++) {
            write(s.resolve("f" + i), "file " + i + ", version 0");
        }
        b.run().expect(0);
        int versions = 0;
        for (int run = 1; run <= 5; run++) {
            for (int i = 0; i < 6; i += run % 2 + 1) {
                write(s.resolve("f" + i), "file " + i + ", version " + run);
                versions++;
            }
            Thread.sleep(1100);                                         // a run folder a second
            b.run().expect(0);
        }
        List<Path> areas = b.deletedAreas(s);
        assertEquals(5, areas.size(), areas.toString());
        rot(areas.get(2).resolve("f0"));
        Archive archive = new Archive(s, b.mainRoot, b.deletedRoot);

        Verifier byHand = new Verifier(new Slice(1, 3));
        byHand.check(archive, true);
        long mirror = 6;                                                // its 6 files (the root is not an entry)
        assertEquals(mirror + versions, byHand.checked(), "by hand: every run folder");

        int m = 3;
        long checked = 0;
        long read = 0;
        int named = 0;
        Set<LocalDate> days = new TreeSet<>();
        for (Path area : areas) {
            days.add(LocalDate.parse(b.deletedRoot.relativize(area).getName(0).toString()));
        }
        LocalDate day = days.iterator().next();
        if (days.size() == 1) {                                         // the runs did not straddle midnight
            Verifier tonight = new Verifier(Slice.nightly(m, day));
            tonight.check(archive, true);
            assertEquals(mirror + versions, tonight.checked(), "what a night displaced is checked the same night");
        }
        for (int night = 0; night < m; night++) {
            Verifier v = new Verifier(Slice.nightly(m, day.plusDays(night)));
            v.check(archive, true);
            checked += v.checked() - mirror;
            read += v.read();
            named += (int) v.damaged().stream().filter(d -> d.describe().contains("its content changed")).count();
            assertTrue(v.damaged().stream().allMatch(d -> !d.inMirror()), v.damaged().toString());
        }
        assertEquals(versions, checked, "each version checked on one night of " + m);
        assertEquals(mirror + versions, read, "each mirror file and each version read whole once in " + m + " nights");
        assertEquals(1, named, "the damaged version named on one night");
    }
}
