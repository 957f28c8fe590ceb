package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's log file, its report, and the rotation of both (SPEC §2 steps 1, 3, 12). */
class RunLogTest {
    @TempDir
    Path tmp;

    @Test
    void aRunInTheSameMinuteGetsItsOwnLogAndReport() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        BackupFixture.Run first = b.run().expect(0);
        BackupFixture.Run second = b.run().expect(0);
        String n1 = first.logFile().getFileName().toString();
        String n2 = second.logFile().getFileName().toString();
        assertTrue(n1.matches("backup_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}(_\\d+)?\\.log"), n1);
        assertTrue(n2.matches("backup_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}(_\\d+)?\\.log"), n2);
        assertFalse(n1.equals(n2));
        assertTrue(Files.exists(first.reportFile()) && Files.exists(second.reportFile()));
        for (BackupFixture.Run r : new BackupFixture.Run[] {first, second}) {
            assertEquals(1, r.log().lines().filter(l -> l.contains("[INFO] backup run started")).count(),
                    "one run per log file");
        }
        assertTrue(first.log().lines().allMatch(l -> l.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} "
                + "\\[(INFO|WARNING|ERROR|DEBUG)\\] .*") || !l.matches("\\d{4}-.*")), "the seed's line format");
    }

    @Test
    void logsAndReportsAreNotWorldReadable() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        BackupFixture.Run run = b.run().expect(0);
        for (Path p : new Path[] {run.logFile(), run.reportFile()}) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            assertFalse(perms.contains(PosixFilePermission.OTHERS_READ), p + " " + perms);
            assertFalse(perms.contains(PosixFilePermission.OTHERS_WRITE), p + " " + perms);
        }
    }

    @Test
    void reportHoldsWhatTheIssueAsksFor() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        BackupFixture.Run run = b.run().expect(0);
        var report = run.report();
        for (String field : new String[] {"start", "end", "outcome"}) {
            assertTrue(report.hasNonNull(field), field);
        }
        var d = run.directory(b.source(0));
        for (String field : new String[] {"source", "mirror", "deletedArea", "status", "attempts", "rcloneExitCode",
            "filesTransferred", "bytesTransferred", "filesMovedToDeleted", "sourceFiles", "mirrorFiles",
            "durationSeconds"}) {
            assertTrue(d.hasNonNull(field), field);
        }
        assertTrue(d.has("error"));
    }

    @Test
    void logsAndReportsOlderThanThirtyDaysAreDeletedOthersKept() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Files.createDirectories(b.logDir);
        Path oldLog = b.logDir.resolve("backup_2020-01-01_01-30.log");
        Path oldReport = b.logDir.resolve("backup_2020-01-01_01-30.json");
        Path recentLog = b.logDir.resolve("backup_2020-01-02_01-30.log");
        Path foreign = b.logDir.resolve("notes.txt");
        for (Path p : new Path[] {oldLog, oldReport, recentLog, foreign}) {
            Files.writeString(p, "x");
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(31, ChronoUnit.DAYS)));
        }
        Files.setLastModifiedTime(recentLog, FileTime.from(Instant.now().minus(29, ChronoUnit.DAYS)));

        BackupFixture.Run run = b.run().expect(0);
        assertFalse(Files.exists(oldLog));
        assertFalse(Files.exists(oldReport));
        assertTrue(Files.exists(recentLog));
        assertTrue(Files.exists(foreign), "only files named like run logs and reports are rotated");
        assertTrue(run.log().contains("log rotation: 2 file(s) older than 30 days deleted"));
    }

    @Test
    void moreThanMaxLogFilesStopsTheRunWithExitFourBeforeAnySync() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Files.createDirectories(b.logDir);
        for (int i = 0; i < 3; i++) {
            Files.writeString(b.logDir.resolve("backup_2026-01-0" + (i + 1) + "_01-30.log"), "x");
        }
        b.config.put("backup.max-log-files", "3");

        BackupFixture.Run run = b.run().expect(4);
        assertTrue(run.log().contains("[ERROR] run stopped: 4 run logs in " + b.logDir
                + " after rotation, more than backup.max-log-files = 3"), run.log());
        assertFalse(Files.exists(b.mirror(b.source(0))), "no sync");
        assertEquals("precondition-failed", run.report().get("outcome").asText());
        assertEquals("not-started", run.directory(b.source(0)).get("status").asText());
    }

    @Test
    void aMissingRcloneStopsTheRunWithExitFour() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        b.config.put("rclone.binary", tmp.resolve("no-rclone-here").toString());
        BackupFixture.Run run = b.run().expect(4);
        assertTrue(run.log().contains("cannot run rclone (rclone.binary = " + tmp.resolve("no-rclone-here")), run.log());
    }
}
