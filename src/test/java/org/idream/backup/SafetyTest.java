package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety checks around the syncs, on local trees (the CephFS versions are in CephIT). */
class SafetyTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptiedSourceIsRefusedItsMirrorUntouchedTheOtherDirectorySynced() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(0).resolve("sub/b.txt"), "b");
        write(b.source(1).resolve("c.txt"), "c");
        b.run().expect(0);
        var mirrorBefore = Trees.describe(b.mirror(b.source(0)));

        BackupFixture.deleteTree(b.source(0));
        Files.createDirectories(b.source(0));       // the source is there, but empty
        write(b.source(1).resolve("d.txt"), "d");
        BackupFixture.Run run = b.run().expect(1);

        assertEquals(mirrorBefore, Trees.describe(b.mirror(b.source(0))), "the mirror is untouched");
        assertTrue(b.deletedAreas(b.source(0)).isEmpty(), "nothing moved into the deleted area");
        JsonNode refused = run.directory(b.source(0));
        assertEquals("refused", refused.get("status").asText());
        assertTrue(refused.get("error").asText().contains("the source is empty while its mirror"), refused.toString());
        assertEquals(0, refused.get("attempts").asInt(), "rclone never ran");
        assertEquals("success", run.directory(b.source(1)).get("status").asText());
        Trees.assertSameTree(b.source(1), b.mirror(b.source(1)));
        assertTrue(run.log().contains("retention skipped: the empty-mount guard refused a directory"));
    }

    @Test
    void anEmptySourceWithAnEmptyMirrorIsNotRefused() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        b.run().expect(0);
    }

    @Test
    void maxDeleteReachedFailsTheDirectoryAndLosesNothing() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        for (int i = 0; i < 6; i++) {
            write(s.resolve("f" + i + ".txt"), "content " + i);
        }
        b.run().expect(0);
        for (int i = 0; i < 5; i++) {
            Files.delete(s.resolve("f" + i + ".txt"));
        }
        b.config.put("rclone.max-delete", "2");
        BackupFixture.Run run = b.run().expect(1);
        assertEquals(7, run.directory(s).get("rcloneExitCode").asInt());
        assertEquals(1, run.directory(s).get("attempts").asInt(), "exit 7 is not retried");

        // every deleted file is either still in the mirror or in the deleted area, with its content
        Path area = b.deletedAreas(s).get(0);
        int moved = 0;
        for (int i = 0; i < 5; i++) {
            String name = "f" + i + ".txt";
            Path where = Files.exists(area.resolve(name)) ? area.resolve(name) : b.mirror(s).resolve(name);
            assertEquals("content " + i, Files.readString(where), name);
            moved += where.startsWith(area) ? 1 : 0;
        }
        assertTrue(moved <= 2, "--max-delete 2 moved at most 2 files, moved " + moved);
    }

    @Test
    void retentionRemovesDatedFoldersOlderThanRetentionDaysByTheirName() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.retention-days", "30");
        LocalDate today = LocalDate.now();
        Path root = b.deletedRoot;
        List<Integer> ages = List.of(400, 31, 30, 29, 1, 0);
        for (int age : ages) {
            Path f = root.resolve(today.minusDays(age).toString()).resolve("01-30-00/x/old.txt");
            write(f, "displaced " + age + " days ago");
            // an mtime years old must not matter: the folder's name decides
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
        }
        write(root.resolve("keep-me/notes.txt"), "not a date");
        write(root.resolve("2026-13-45/x.txt"), "not a real date");
        write(root.resolve("README"), "a file");

        BackupFixture.Run dry = b.run("--dry-run").expect(0);
        assertTrue(dry.log().contains("retention: dry run: would remove " + root.resolve(today.minusDays(31).toString())));
        assertTrue(Files.exists(root.resolve(today.minusDays(400).toString())), "a dry run removes nothing");

        BackupFixture.Run run = b.run().expect(0);
        for (int age : ages) {
            boolean kept = Files.exists(root.resolve(today.minusDays(age).toString()));
            assertEquals(age <= 30, kept, "folder " + age + " days old");
        }
        assertTrue(Files.exists(root.resolve("keep-me/notes.txt")));
        assertTrue(Files.exists(root.resolve("2026-13-45/x.txt")));
        assertTrue(Files.exists(root.resolve("README")));
        String log = run.log();
        assertTrue(log.contains("[WARNING] retention: " + root.resolve("keep-me") + " is not a dated folder"), log);
        assertTrue(log.contains("retention: removed " + root.resolve(today.minusDays(400).toString())), log);
    }

    @Test
    void theLockFileIsRemovedAfterARunAndAStaleOneDoesNotBlock() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path lock = tmp.resolve("backup.lock");
        Files.writeString(lock, "pid 99999 on somewhere since yesterday\n"); // left by a kill -9
        BackupFixture.Run run = b.run().expect(0);
        assertFalse(Files.exists(lock), "removed on normal exit");
        assertTrue(run.log().contains("lock: " + lock + " taken"));
    }

    @Test
    void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetUntouched() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path precious = tmp.resolve("precious.txt");
        Files.writeString(precious, "do not truncate me");
        Files.createSymbolicLink(tmp.resolve("backup.lock"), precious);
        BackupFixture.Run run = b.run().expect(4);
        assertEquals("do not truncate me", Files.readString(precious));
        assertTrue(run.log().contains("cannot take the lock backup.lock-file"), run.log());
        assertFalse(Files.exists(b.mainRoot), "nothing synced");
    }

    @Test
    void aMissingSourceFailsAloneAndTheOthersAreBackedUp() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        b.run().expect(0);
        BackupFixture.deleteTree(b.source(1));     // renamed away by the experiment
        write(b.source(0).resolve("a2.txt"), "a2");
        BackupFixture.Run run = b.run().expect(1);
        assertEquals("missing", run.directory(b.source(1)).get("status").asText());
        assertEquals("success", run.directory(b.source(0)).get("status").asText());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
        assertEquals("b", Files.readString(b.mirror(b.source(1)).resolve("b.txt")), "its mirror is kept as it was");
        List<String> lines = run.log().lines().filter(l -> l.contains("[" + b.source(1) + "]") && l.contains("ERROR"))
                .toList();
        assertEquals(1, lines.size(), "one line names it: " + lines);
        assertTrue(lines.get(0).contains("MISSING: the source does not exist"), lines.get(0));
        assertFalse(run.log().contains("find: "), "no raw message of the command");
        assertEquals("failed", run.report().get("outcome").asText());
        assertEquals("1 of 2 directories failed", run.report().get("reason").asText());
    }

    @Test
    void clusterHealthOkWarnErrAndUnknown() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");

        b.config.put("ceph.status-command", "echo cluster: health: HEALTH_OK");
        assertTrue(b.run().expect(0).log().contains("[INFO] precondition cluster-health: HEALTH_OK"));

        b.config.put("ceph.status-command", "echo health: HEALTH_WARN 1 osds down");
        assertTrue(b.run().expect(0).log().contains("[WARNING] precondition cluster-health: HEALTH_WARN"));

        b.config.put("ceph.status-command", "echo health: HEALTH_ERR 1 filesystem is offline");
        BackupFixture.Run err = b.run().expect(4);
        assertTrue(err.log().contains("precondition cluster-health: HEALTH_ERR"), err.log());
        assertEquals("not-started", err.directory(b.source(0)).get("status").asText());

        b.config.put("ceph.status-command", "no-such-ssh-binary cephsvc05 ceph status");
        assertTrue(b.run().expect(0).log().contains("[WARNING] precondition cluster-health: 'no-such-ssh-binary' "
                + "cannot be run"));

        b.config.put("ceph.status-command", "ssh -o BatchMode=yes -o ConnectTimeout=5 -p 1 127.0.0.1 ceph status");
        BackupFixture.Run unreachable = b.run().expect(0);
        assertTrue(unreachable.log().contains("[WARNING] precondition cluster-health: host unreachable")
                || unreachable.log().contains("[WARNING] precondition cluster-health: 'ssh' cannot be run"),
                unreachable.log());
    }

    @Test
    void withoutAnFstabEntryTheRunStopsWithExitFour() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path fstab = tmp.resolve("fstab");
        Files.writeString(fstab, "# nothing here\n");
        b.config.put("ceph.mount-point", tmp.resolve("ceph").toString());
        b.config.put("ceph.fstab", fstab.toString());
        BackupFixture.Run run = b.run().expect(4);
        assertTrue(run.log().contains("precondition fstab-entry: no entry for " + tmp.resolve("ceph") + " in " + fstab),
                run.log());
        assertFalse(Files.exists(b.mainRoot));
    }

    @Test
    void aMountThatKeepsFailingIsTriedCephMountAttemptsTimesThenExitFour() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path fstab = tmp.resolve("fstab");
        Files.writeString(fstab, "nosuchdevice " + tmp.resolve("ceph") + " no-such-fs-type defaults 0 0\n");
        b.config.put("ceph.mount-point", tmp.resolve("ceph").toString());
        b.config.put("ceph.fstab", fstab.toString());
        b.config.put("ceph.mount-attempts", "3");
        b.config.put("ceph.mount-retry-delay", "1s");
        BackupFixture.Run run = b.run().expect(4);
        String log = run.log();
        assertTrue(log.contains("precondition mount: attempt 3 of 3: mount " + tmp.resolve("ceph") + " failed"), log);
        assertFalse(log.contains("attempt 4 of"), log);
        assertTrue(log.contains("is still not mounted"), log);
        assertFalse(Files.exists(b.mainRoot));
    }

    @Test
    void requireMountedDestinationRefusesARootFileSystemDestination() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.require-mounted-destination", "true");
        // the test's temporary folder is on the root file system of this machine (or on a mount)
        Processes.Done where = run(List.of("findmnt", "--noheadings", "--output", "TARGET", "--target", tmp.toString()));
        boolean onRoot = where.output().strip().equals("/");
        BackupFixture.Run run = b.run().expect(onRoot ? 4 : 0);
        if (onRoot) {
            assertTrue(run.log().contains("would be written to the root file system"), run.log());
            assertFalse(Files.exists(b.mainRoot));
        }
    }

    @Test
    void startUpFactsAreLogged() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.user", "backup_user_that_is_not_me");
        String log = b.run().expect(0).log();
        assertTrue(log.contains("[WARNING] user: " + System.getProperty("user.name") + ", not backup.user = "
                + "backup_user_that_is_not_me"), log);
        assertTrue(log.contains("[INFO] rclone: rclone v1."), log);
        assertTrue(log.contains("[INFO] permissions: "), log);
        assertTrue(log.contains("[INFO] content hashes: SHA-256 by OpenSSL's libcrypto"), log);
        for (String key : Set.of("backup.sources", "rclone.transfers", "ceph.status-command")) {
            assertTrue(log.contains("[INFO] parameter " + key + " = "), key);
        }
    }

    private Processes.Done run(List<String> command) {
        try {
            return Processes.run(tmp, command, 30);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
