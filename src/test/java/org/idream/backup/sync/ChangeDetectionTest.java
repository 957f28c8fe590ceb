package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.names.ListedNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision between a full sync and a change-guided one, and why, on real trees and the real rclone: a
 * full sync whenever anything the guided one relies on is missing or stale.
 */
class ChangeDetectionTest {
    @TempDir
    Path tmp;
    private Path source;

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @BeforeEach
    void aSource() throws IOException {
        source = tmp.resolve("ceph/exp/data");
        for (String f : List.of("a/1.txt", "a/2.txt", "b/c/3.txt")) {
            write(source.resolve(f), f);
        }
    }

    private SyncHarness harness(Map<String, String> keys) throws Exception {
        return new SyncHarness(tmp, source, keys);
    }

    private static void assertFull(DirectoryJob job, String why) {
        assertEquals(SyncKind.FULL, job.kind(), job.reason());
        assertTrue(job.reason().contains(why), job.reason());
    }

    @Test
    void theFirstRunIsFullTheNextGuidedAndAFullOneWhenAskedFor() throws Exception {
        SyncHarness h = harness(Map.of());
        assertFull(h.run(false), "no record of an earlier run of this directory");
        write(source.resolve("a/new.txt"), "new");
        DirectoryJob guided = h.run(false);
        assertEquals(SyncKind.RCTIME, guided.kind(), guided.reason());
        assertTrue(guided.reason().startsWith("changes since "), guided.reason());
        assertEquals(List.of("a/new.txt"), guided.guidedPlan().filesToCopy());
        assertFull(h.decide(true), "asked for (--full)");
    }

    @Test
    void aRunThatDidNotFinishMakesTheNextFull() throws Exception {
        SyncHarness h = harness(Map.of());
        h.run(false);
        DirectoryJob started = h.decide(false);
        Files.writeString(Path.of(h.detection.stateFile(started)), h.detection.unfinished(started));
        assertFull(h.decide(false), "did not finish");
    }

    @Test
    void aRecordThatCannotBeReadOrAManifestThatIsGoneMakesItFull() throws Exception {
        SyncHarness h = harness(Map.of());
        DirectoryJob first = h.run(false);
        Files.delete(first.manifest());
        assertFull(h.decide(false), "is gone");
        Files.writeString(Path.of(h.detection.stateFile(first)), "{not json");
        assertFull(h.decide(false), "the record of the last run cannot be read");
    }

    @Test
    void whatDecidesTheResultChangedSoFull() throws Exception {
        harness(Map.of()).run(false);
        assertFull(harness(Map.of("rclone.checksum", "false")).decide(false),
                "the sources, the exclude file or rclone's flags changed");
    }

    @Test
    void theSafetyNetAFullSyncEverySoOften() throws Exception {
        SyncHarness h = harness(Map.of("backup.full-sync-every", "1s"));
        h.run(false);
        Thread.sleep(1100);
        assertFull(h.decide(false), "the last full sync started");
    }

    @Test
    void withoutRecursiveChangeTimesOrWhenAskedNotToItIsFull() throws Exception {
        SyncHarness h = harness(Map.of());
        h.run(false);
        h.stats.unavailable();
        assertFull(h.decide(false), "not on CephFS: no recursive change times");
        assertFull(harness(Map.of("backup.change-detection", "full")).decide(false), "backup.change-detection = full");
    }

    @Test
    void anOddNameKeepsTheSyncGuided() throws Exception {
        SyncHarness h = harness(Map.of());
        h.run(false);
        write(source.resolve("a/bad\nname.txt"), "x");
        DirectoryJob job = h.run(false);
        assertEquals(SyncKind.RCTIME, job.kind(), job.reason());
        assertEquals(List.of(ListedNames.of("a/bad\nname.txt")), job.guidedPlan().filesToCopy());
        assertEquals("x", Files.readString(job.directory().mirror().resolve("a/bad\nname.txt")));
        assertEquals(Layout.stateFile(h.mainRoot, source).toString(), h.detection.stateFile(job));
    }
}
