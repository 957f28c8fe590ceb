package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and the change detection on a real CephFS: what an operator reads in the log and the report,
 * and what is (and is not) left behind. Whether a change-guided run gives the same result as a full sync
 * is CephSoakIT's question.
 */
@ExtendWith(CephLab.class)
class CephChangeIT {
    @TempDir
    Path tmp;
    private CephLab.Lab lab;
    private BackupFixture b;

    @BeforeEach
    void twoDirectoriesOnCephFs() throws Exception {
        lab = CephLab.lab();
        lab.ensureMounted();
        Path parent = Files.createTempDirectory(lab.mount(), "change-");
        b = CephIT.onCeph(new BackupFixture(tmp, parent, "data", "data3"), lab);
        b.config.put("ceph.status-command", "");
        b.config.put("backup.rctime-margin", "2s");
        write(b.source(0).resolve("run-0001/events.dat"), "events");
        write(b.source(0).resolve("calib/gains.txt"), "gains");
        Files.createSymbolicLink(b.source(0).resolve("latest"), Path.of("run-0001"));
        write(b.source(1).resolve("notes.txt"), "notes");
    }

    private static List<String> snapshots(Path source) throws Exception {
        try (Stream<Path> s = Files.list(source.resolve(".snap"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachDirectoryIsSyncedFromASnapshotThatIsRemovedAfterwards() throws Exception {
        BackupFixture.Run run = b.run().expect(0);
        for (Path s : b.sources) {
            JsonNode d = run.directory(s);
            assertTrue(d.get("snapshot").asText().matches("ceph-backup-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}"), d
                    .toString());
            assertTrue(run.log().contains("[" + s + "] snapshot " + s + "/.snap/" + d.get("snapshot").asText()
                    + " taken"), run.log());
            assertTrue(run.log().contains(" sync " + s + "/.snap/" + d.get("snapshot").asText() + " "),
                    "rclone reads from the snapshot");
            assertEquals(List.of(), snapshots(s), "removed when the directory is done");
            Trees.assertSameTree(s, b.mirror(s));
            assertFalse(Files.exists(b.mirror(s).resolve(".snap")), "the snapshot's path is not in the mirror");
        }
    }

    @Test
    void aSnapshotAKilledRunLeftIsRemovedAndOnlyThose() throws Exception {
        Files.createDirectory(b.source(0).resolve(".snap/ceph-backup-2026-01-01_01-30-00"));
        Files.createDirectory(b.source(0).resolve(".snap/before-the-upgrade"));
        BackupFixture.Run run = b.run().expect(0);
        assertEquals(List.of("before-the-upgrade"), snapshots(b.source(0)), "an operator's snapshot stays");
        assertTrue(run.log().contains("removed the snapshot " + b.source(0)
                + "/.snap/ceph-backup-2026-01-01_01-30-00, left by a run that did not finish"), run.log());
        Files.delete(b.source(0).resolve(".snap/before-the-upgrade"));
    }

    @Test
    void aNightWithoutChangesStartsNoRcloneAndSaysWhy() throws Exception {
        // the files were written just now: within the margin of the first run's start, they would be
        // taken again by the second (a change stamped then may not have reached the root's rctime yet);
        // and CephFS's counts must have caught up, or the second run's whole-tree check finds a
        // difference (a WARNING) and makes the third run full
        Thread.sleep(3000);
        for (Path s : b.sources) {
            settle(s);
        }
        BackupFixture.Run first = b.run().expect(0);
        assertEquals("full", first.directory(b.source(0)).get("sync").asText());
        assertTrue(first.directory(b.source(0)).get("syncReason").asText().startsWith("no record of an earlier run"));
        Thread.sleep(3000); // past the margin (2 s here)
        BackupFixture.Run second = b.run().expect(0);
        for (Path s : b.sources) {
            JsonNode d = second.directory(s);
            assertEquals("rctime", d.get("sync").asText(), d.toString());
            assertTrue(d.get("syncReason").asText().contains("0 file(s) for rclone copy"), d.toString());
            assertEquals(0, d.get("filesTransferred").asLong());
            assertEquals("passed", d.get("validation").asText());
        }
        assertFalse(second.log().contains("attempt 1 of at most"), "no rclone was started:\n" + second.log());

        // a new run folder: only it is copied
        write(b.source(0).resolve("run-0002/events.dat"), "new events");
        write(b.source(0).resolve("run-0002/more.dat"), "more");
        BackupFixture.Run third = b.run().expect(0);
        JsonNode d = third.directory(b.source(0));
        assertEquals("rctime", d.get("sync").asText(), d.toString());
        assertEquals(2, d.get("filesTransferred").asLong(), d.toString());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }

    /** Waits (up to 60 s) until CephFS counts under {@code s} the files and bytes a walk finds there. */
    private static void settle(Path s) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            long[] walked = {0, 0};
            try (var all = Files.walk(s)) {
                all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                    walked[0]++;
                    walked[1] += p.toFile().length();
                });
            }
            var t = org.idream.backup.cephfs.CephFs.XATTRS.totals(s);
            if (t.bytes() == walked[1] && t.files() >= walked[0] || System.currentTimeMillis() > deadline) {
                return;
            }
            Thread.sleep(500);
        }
    }

    @Test
    void theFullSyncIsTheSafetyNet() throws Exception {
        b.run().expect(0);
        Thread.sleep(3000);
        BackupFixture.Run asked = b.run("--full").expect(0);
        assertEquals("asked for (--full)", asked.directory(b.source(0)).get("syncReason").asText());

        // a run of the directory that did not finish (killed: its record still says so)
        Path record = org.idream.backup.model.Layout.stateFile(b.mainRoot, b.source(0));
        ObjectNode state = (ObjectNode) BackupFixture.JSON.readTree(record.toFile());
        state.put("finished", false);
        BackupFixture.JSON.writeValue(record.toFile(), state);
        Thread.sleep(1000);
        BackupFixture.Run afterKill = b.run().expect(0);
        assertTrue(afterKill.directory(b.source(0)).get("syncReason").asText().contains("did not finish"),
                afterKill.directory(b.source(0)).toString());
        assertEquals("rctime", afterKill.directory(b.source(1)).get("sync").asText(), "the other went on as it was");

        // the exclude file changed: what a sync considers changed, so everything is synced in full
        Path exclude = tmp.resolve("exclude.txt");
        Files.writeString(exclude, "*.tmp\n");
        b.config.put("backup.exclude-file", exclude.toString());
        Thread.sleep(1000);
        BackupFixture.Run changed = b.run().expect(0);
        for (Path s : b.sources) {
            assertTrue(changed.directory(s).get("syncReason").asText().contains("exclude file"),
                    changed.directory(s).toString());
        }
    }

    /**
     * The cost model on CephFS: a rerun with everything inside the margin checks every file one by one and
     * measures what that costs here; forced both ways (a record where checking a file is dear, then cheap), the
     * run syncs in full and says why, or stays guided, and the mirror is the source's either way.
     */
    @Test
    void theCostModelTakesTheFullSyncWhenCopyingFileByFileWouldCostMore() throws Exception {
        for (int i = 0; i < org.idream.backup.sync.CostModel.SAMPLE + 20; i++) {
            write(b.source(0).resolve("run-0003/f" + i), "event " + i);
        }
        b.config.put("backup.rctime-margin", "1h");     // every file inside the margin
        BackupFixture.Run first = b.run().expect(0);
        assertEquals("full", first.directory(b.source(0)).get("sync").asText());
        BackupFixture.Run same = b.run().expect(0);     // a rerun: nothing the last manifest does not record as it is
        assertTrue(same.log().contains("not copied again"), same.log());
        assertTrue(same.directory(b.source(0)).get("syncReason").asText().endsWith(", 0 file(s) for rclone copy"),
                same.directory(b.source(0)).toString());
        chmodR(b.source(0), "rw-r-----");               // a chmod -R: every change time moved, size and mtime not
        BackupFixture.Run rerun = b.run().expect(0);
        JsonNode guided = rerun.directory(b.source(0));
        assertEquals("rctime", guided.get("sync").asText(), "nothing measured yet: guided " + guided);
        Path record = org.idream.backup.model.Layout.stateFile(b.mainRoot, b.source(0));
        ObjectNode state = (ObjectNode) BackupFixture.JSON.readTree(record.toFile());
        assertTrue(state.get("copySecondsPerFile").asDouble() > 0, state.toString());
        System.out.printf("cost model on the Ceph lab: a guided copy checked %d files at %.1f ms a file; the first "
                + "full sync took %.1f s for %d files; this rerun examined %d entries, %.0f a second%n",
                org.idream.backup.sync.CostModel.SAMPLE + 22,
                state.get("copySecondsPerFile").asDouble() * 1000, state.get("fullSeconds").asDouble(),
                state.get("fullFiles").asLong(), guided.get("entriesExamined").asLong(),
                guided.get("entriesPerSecond").asDouble());

        state.put("copySecondsPerFile", 1.0).put("fullSeconds", 1.0);
        BackupFixture.JSON.writeValue(record.toFile(), state);
        chmodR(b.source(0), "rw-rw----");
        write(b.source(0).resolve("run-0003/f7"), "rewritten");
        BackupFixture.Run dear = b.run().expect(0);
        JsonNode d = dear.directory(b.source(0));
        assertEquals("full", d.get("sync").asText(), d.toString());
        assertTrue(d.get("syncReason").asText().startsWith("the cost model: "), d.toString());
        assertTrue(dear.log().contains("full sync: the cost model: "), dear.log());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));

        state = (ObjectNode) BackupFixture.JSON.readTree(record.toFile());
        state.put("copySecondsPerFile", 0.000001);
        BackupFixture.JSON.writeValue(record.toFile(), state);
        write(b.source(0).resolve("run-0003/f8"), "rewritten too");
        BackupFixture.Run cheap = b.run().expect(0);
        assertEquals("rctime", cheap.directory(b.source(0)).get("sync").asText(), cheap.directory(b.source(0)).toString());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }

    /** {@code chmod -R} of the files below {@code root}: their change times move, nothing else. */
    private static void chmodR(Path root, String mode) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            }
        }
    }
}
