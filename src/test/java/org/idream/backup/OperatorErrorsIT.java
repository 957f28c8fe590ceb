package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when the machine is at fault, through the real launcher: one line naming the problem, the
 * path and the key, never a Java stack trace or exception class, on the console or in the run log; and the exit code
 * that says what kind of failure it is. Real mounts: a tmpfs remounted read-only, a tmpfs that fills. Needs root.
 */
class OperatorErrorsIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                || "required".equals(System.getenv("CEPHLAB")), "needs root: mounts");
    }

    private static Processes.Done sh(Path cwd, String script) throws Exception {
        return Processes.run(cwd, List.of("bash", "-c", script), 120);
    }

    private Processes.Done backup(BackupFixture b, String... args) throws Exception {
        b.writeConfig();
        List<String> command = new ArrayList<>(List.of(Processes.LAUNCHER.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", b.configFile.toString()));
        return Processes.run(tmp, command, 600);
    }

    /** Neither Java's words nor its traces: what the console and every run log say. */
    private static void noJava(String what, String text) {
        assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("java."),
                what + " speaks Java:\n" + text);
    }

    private static String runLogs(BackupFixture b) throws Exception {
        StringBuilder all = new StringBuilder();
        if (Files.isDirectory(b.logDir)) {
            try (Stream<Path> logs = Files.list(b.logDir)) {
                for (Path p : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                    all.append(Files.readString(p));
                }
            }
        }
        return all.toString();
    }

    @Test
    void aReadOnlyBackupDiskIsOneLineAndExitFourFromCheckAndFromARun() throws Exception {
        Path disk = tmp.resolve("backup");
        Files.createDirectories(disk);
        assertEquals(0, sh(tmp, "mount -t tmpfs -o size=16m tmpfs '" + disk + "'").code());
        try {
            BackupFixture b = new BackupFixture(tmp, "data");
            write(b.source(0).resolve("a.txt"), "a");
            assertEquals(0, backup(b, "--once").code());
            write(b.source(0).resolve("b.txt"), "b");
            assertEquals(0, sh(tmp, "mount -o remount,ro '" + disk + "'").code());

            Processes.Done check = backup(b, "check");
            assertEquals(4, check.code(), check.output());
            noJava("check", check.output());
            assertTrue(check.output().contains("precondition destination-writable: the backup disk cannot be written: "
                    + "backup.main-root = " + b.mainRoot + " and backup.deleted-root = " + b.deletedRoot
                    + ": read-only file system"), check.output());

            Processes.Done run = backup(b, "--once");
            assertEquals(4, run.code(), run.output());
            noJava("the run", run.output());
            noJava("the run log", runLogs(b));
            assertTrue(run.output().contains("precondition failed (exit 4): precondition destination-writable: the "
                    + "backup disk cannot be written"), run.output());
            assertFalse(Files.exists(b.mirror(b.source(0)).resolve("b.txt")), "nothing synced");

            b.config.put("backup.log-dir", disk.resolve("logs").toString());    // the logs on that disk too
            Processes.Done noLog = backup(b, "--once");
            assertEquals(4, noLog.code(), noLog.output());
            noJava("the run", noLog.output());
            assertTrue(noLog.output().contains("cannot create the run log in backup.log-dir = " + disk.resolve("logs")
                    + ": " + disk.resolve("logs") + ": read-only file system"), noLog.output());
        } finally {
            sh(tmp, "umount -l '" + disk + "'");
        }
    }

    @Test
    void aMissingLockFolderIsMadeAnUnwritableMetricsFileIsAWarning() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path lock = tmp.resolve("run/ceph-backup/backup.lock");
        b.config.put("backup.lock-file", lock.toString());
        Path notAFolder = tmp.resolve("metrics");
        write(notAFolder, "a file where the metrics' folder should be");
        b.config.put("backup.metrics-textfile", notAFolder.resolve("backup.prom").toString());
        Processes.Done run = backup(b, "--once");
        assertEquals(0, run.code(), run.output());
        assertTrue(Files.isDirectory(lock.getParent()), "the lock folder made");
        noJava("the run", run.output());
        assertTrue(run.output().contains("[WARNING] cannot write the metrics file " + notAFolder.resolve("backup.prom")),
                run.output());
        assertEquals("a", Files.readString(b.mirror(b.source(0)).resolve("a.txt")));
    }

    @Test
    void aFullBackupDiskFailsTheDirectoryInOneLine() throws Exception {
        Path disk = tmp.resolve("backup");
        Files.createDirectories(disk);
        assertEquals(0, sh(tmp, "mount -t tmpfs -o size=8m tmpfs '" + disk + "'").code());
        try {
            BackupFixture b = new BackupFixture(tmp, "data");
            Files.write(b.source(0).resolve("big.bin"), Trees.bytes(12 << 20, 3));
            Processes.Done run = backup(b, "--once");
            assertEquals(1, run.code(), run.output());
            noJava("the run", run.output());
            noJava("the run log", runLogs(b));
            assertTrue(run.output().contains("no space left on device")
                    || run.output().contains("remaining disk space"), run.output());
        } finally {
            sh(tmp, "umount -l '" + disk + "'");
        }
    }
}
