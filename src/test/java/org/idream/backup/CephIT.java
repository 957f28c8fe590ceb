package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of directories on a real CephFS (ceph-fuse), with the real preconditions: the fstab entry,
 * mountpoint, the mount retry, ls, and `ceph status` over a real ssh. Each test asserts that nothing
 * was lost.
 */
@ExtendWith(CephLab.class)
class CephIT {
    @TempDir
    Path tmp;
    private CephLab.Lab lab;
    private BackupFixture b;

    /** Configures a fixture for the lab: its mount point, fstab and status command. */
    static BackupFixture onCeph(BackupFixture b, CephLab.Lab lab) {
        b.config.put("ceph.mount-point", lab.mount().toString());
        b.config.put("ceph.fstab", lab.fstab().toString());
        b.config.put("ceph.status-command", lab.statusCommand());
        b.config.put("ceph.admin-socket-dir", lab.dir().resolve("run").toString());
        b.config.put("ceph.mount-attempts", "3");
        b.config.put("ceph.mount-retry-delay", "1s");
        return b;
    }

    @BeforeEach
    void backupOfTwoDirectoriesOnCephFs() throws Exception {
        lab = CephLab.lab();
        lab.ensureMounted();
        Path parent = Files.createTempDirectory(lab.mount(), "it-");
        b = onCeph(new BackupFixture(tmp, parent, "data", "data3"), lab);
        write(b.source(0).resolve("run-0001/events.dat"), "events");
        write(b.source(0).resolve("names/with space & ünïcödé.txt"), "names");
        Files.write(b.source(0).resolve("raw.bin"), Trees.bytes(1 << 20, 11));
        Files.createSymbolicLink(b.source(0).resolve("latest"), Path.of("run-0001"));
        Files.createDirectories(b.source(0).resolve("empty"));
        write(b.source(1).resolve("calibration/gains.txt"), "gains");
    }

    @AfterEach
    void leaveTheLabAsFound() throws Exception {
        lab.ensureMounted();
        lab.ceph("osd", "unset", "noout");
        lab.ceph("osd", "set-nearfull-ratio", "0.85");
    }

    private void assertMirrored() throws IOException {
        for (Path s : b.sources) {
            Trees.assertSameTree(s, b.mirror(s));
        }
    }

    @Test
    void aBackupOfCephFsPassesEveryPrecondition() throws Exception {
        BackupFixture.Run run = b.run().expect(0);
        assertMirrored();
        String log = run.log();
        for (String line : List.of("precondition fstab-entry: " + lab.mount() + " has an entry in " + lab.fstab(),
                "precondition mounted: " + lab.mount() + " is mounted", "precondition listable: " + lab.mount()
                        + " can be listed", "precondition source-exists: " + b.source(0) + " exists",
                "[INFO] precondition cluster-health: HEALTH_OK", "permissions: ")) {
            assertTrue(log.contains(line), line + "\n" + log);
        }
        // the MDS requests the run made, read from the admin socket of the lab's ceph-fuse
        long mds = run.report().path("mdsRequests").asLong(-1);
        assertTrue(mds > 0, "the report counts the MDS requests: " + mds);
        System.out.println("CephIT: the first run made " + mds + " MDS request(s) through the lab's ceph-fuse");
        assertTrue(log.contains("CephFS: " + mds + " MDS request(s) during the syncs (ceph-fuse client "), log);
        // and what changes on the CephFS is kept
        write(b.source(0).resolve("run-0001/events.dat"), "events, reprocessed");
        Files.delete(b.source(1).resolve("calibration/gains.txt"));
        write(b.source(1).resolve("calibration/new.txt"), "new");
        b.run().expect(0);
        assertMirrored();
        assertEquals("events", Files.readString(b.deletedAreas(b.source(0)).get(0).resolve("run-0001/events.dat")));
        assertEquals("gains", Files.readString(b.deletedAreas(b.source(1)).get(0).resolve("calibration/gains.txt")));
    }

    @Test
    void anUnmountedCephFsIsMountedAgainByThePreconditionFromTheFstab() throws Exception {
        b.run().expect(0);
        lab.unmount();
        assertFalse(lab.mounted());

        BackupFixture.Run run = b.run().expect(0);
        assertTrue(lab.mounted(), "mounted again");
        String log = run.log();
        assertTrue(log.contains("[WARNING] precondition mounted: " + lab.mount() + " is not mounted; mounting it"), log);
        assertTrue(log.contains("precondition mount: attempt 1 of 3: mount " + lab.mount() + " succeeded"), log);
        assertMirrored();
        assertTrue(b.deletedAreas(b.source(0)).isEmpty(), "nothing displaced");
    }

    @Test
    void whenTheCephFsCannotBeMountedTheRunExitsFourAndTheMirrorIsUntouched() throws Exception {
        b.run().expect(0);
        var before = Trees.describe(b.root.resolve("backup"));
        lab.unmount();
        Path badFstab = tmp.resolve("fstab");
        Files.writeString(badFstab, "none " + lab.mount() + " fuse.ceph ceph.id=admin,ceph.conf=" + tmp.resolve("no.conf")
                + ",_netdev,defaults 0 0\n");
        b.config.put("ceph.fstab", badFstab.toString());
        b.config.put("ceph.mount-attempts", "2");

        BackupFixture.Run run = b.run().expect(4);
        // mount.fuse.ceph exits 0 even when ceph-fuse fails: mountpoint -q after each attempt is what tells
        assertTrue(run.log().contains("precondition mount: attempt 2 of 2: mount " + lab.mount()), run.log());
        assertTrue(run.log().contains(lab.mount() + " is still not mounted after attempt 2"), run.log());
        assertFalse(run.log().contains("attempt 3 of"), run.log());
        assertEquals(before, Trees.describe(b.root.resolve("backup")), "mirror and deleted area untouched");
        assertEquals("not-started", run.directory(b.source(0)).get("status").asText());
    }

    @Test
    void aSourceEmptiedOnTheMountIsRefusedAndItsMirrorUntouched() throws Exception {
        b.run().expect(0);
        var mirror = Trees.describe(b.mirror(b.source(0)));
        BackupFixture.deleteTree(b.source(0));
        Files.createDirectories(b.source(0));

        BackupFixture.Run run = b.run().expect(1);
        assertEquals("refused", run.directory(b.source(0)).get("status").asText());
        assertEquals(mirror, Trees.describe(b.mirror(b.source(0))), "mirror untouched");
        assertTrue(b.deletedAreas(b.source(0)).isEmpty(), "nothing moved to the deleted area");
        assertEquals("success", run.directory(b.source(1)).get("status").asText());
    }

    @Test
    void aSourceThatIsNoLongerOnTheCephMountIsRefused() throws Exception {
        b.run().expect(0);
        var mirror = Trees.describe(b.mirror(b.source(0)));
        Path impostor = tmp.resolve("impostor");
        write(impostor.resolve("other.txt"), "another file system's file");
        CephLab.run(List.of("mount", "--bind", impostor.toString(), b.source(0).toString()), 30);
        try {
            BackupFixture.Run run = b.run().expect(1);
            JsonNode d = run.directory(b.source(0));
            assertEquals("refused", d.get("status").asText());
            assertTrue(d.get("error").asText().contains("is not on the mount " + lab.mount()), d.toString());
            assertEquals(mirror, Trees.describe(b.mirror(b.source(0))), "mirror untouched");
        } finally {
            CephLab.run(List.of("umount", b.source(0).toString()), 30);
        }
    }

    @Test
    void healthWarnIsAWarningAndTheBackupRuns() throws Exception {
        lab.ceph("osd", "set", "noout");
        awaitHealth("HEALTH_WARN");
        BackupFixture.Run run = b.run().expect(0);
        assertTrue(run.log().contains("[WARNING] precondition cluster-health: HEALTH_WARN"), run.log());
        assertMirrored();
    }

    @Test
    void healthErrStopsTheRunWithExitFourBeforeAnySync() throws Exception {
        lab.ceph("osd", "set-nearfull-ratio", "0.97"); // above the full ratio: "full ratios out of order"
        awaitHealth("HEALTH_ERR");
        BackupFixture.Run run = b.run().expect(4);
        assertTrue(run.log().contains("precondition cluster-health: HEALTH_ERR"), run.log());
        assertFalse(Files.exists(b.mirror(b.source(0))), "nothing synced");
    }

    @Test
    void anUnreachableSshHostIsAWarningAndTheBackupRuns() throws Exception {
        b.config.put("ceph.status-command", lab.statusCommand().replaceFirst("-p \\d+", "-p 1"));
        BackupFixture.Run run = b.run().expect(0);
        assertTrue(run.log().contains("[WARNING] precondition cluster-health: host unreachable"), run.log());
        assertMirrored();
    }

    @Test
    void maxDeleteReachedFailsTheRunAndEveryDeletedFileIsKept() throws Exception {
        for (int i = 0; i < 6; i++) {
            write(b.source(1).resolve("bulk/f" + i), "bulk " + i);
        }
        b.run().expect(0);
        BackupFixture.deleteTree(b.source(1).resolve("bulk"));
        b.config.put("rclone.max-delete", "2");
        BackupFixture.Run run = b.run().expect(1);
        assertEquals(7, run.directory(b.source(1)).get("rcloneExitCode").asInt());
        List<Path> areas = b.deletedAreas(b.source(1));   // none when nothing was displaced
        for (int i = 0; i < 6; i++) {
            Path moved = areas.isEmpty() ? b.root.resolve("nowhere") : areas.get(0).resolve("bulk/f" + i);
            Path kept = b.mirror(b.source(1)).resolve("bulk/f" + i);
            assertEquals("bulk " + i, Files.readString(Files.exists(moved) ? moved : kept), "f" + i);
        }
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }

    @Test
    void anMdsFailoverDuringASyncEndsWithACompleteMirror() throws Exception {
        Files.write(b.source(0).resolve("slow.bin"), Trees.bytes(6 << 20, 21));
        b.faultyRclone("EXTRA='--bwlimit 1M'\n");
        b.config.put("backup.progress-interval", "1s");
        b.writeConfig();
        Path out = tmp.resolve("run.out");
        Process run = Processes.start(tmp, out, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()));
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(out).contains("] progress:") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String active = lab.ceph("fs", "status", "cephfs", "-f", "json").replaceAll("(?s).*\"name\": ?\"([a-z])\", "
                + "\"state\": ?\"active\".*", "$1");
        lab.ceph("mds", "fail", active.length() == 1 ? active : "a"); // the standby takes over mid-sync
        assertTrue(run.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        String output = Files.readString(out);
        assertTrue(run.exitValue() == 0 || run.exitValue() == 1, output);
        b.faultyRclone("MATCH=nothing\n");
        if (run.exitValue() != 0) {
            b.run().expect(0); // a failed directory is complete at the next run
        }
        assertMirrored();
    }

    private void awaitHealth(String status) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!lab.ceph("health").contains(status)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the lab never reached " + status + ": " + lab.ceph("health"));
            }
            Thread.sleep(500);
        }
    }
}
