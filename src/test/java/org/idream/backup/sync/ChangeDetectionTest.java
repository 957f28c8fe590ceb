package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.idream.backup.LogCapture;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.Layout;
import org.idream.backup.report.Report;
import org.idream.backup.model.SyncKind;
import org.idream.backup.names.ListedNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @org.junit.jupiter.api.AfterEach
    void countsWaitAsShipped() {
        GuidedSync.countsWait = java.time.Duration.ofSeconds(10);
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

    /**
     * A change in folders holding more entries than a guided run may hold in memory: a full sync (whose memory
     * does not grow with the change), both ways of finding it; the mirror equals the source after.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rctime", "manifest"})
    void aChangeInFoldersTooLargeToListIsSyncedInFull(String detection) throws Exception {
        SyncHarness h = harness(Map.of("backup.change-detection", detection));
        for (int i = 0; i < 30; i++) {
            write(source.resolve("big/f" + i), "file " + i);
        }
        h.run(false);
        write(source.resolve("big/f7"), "rewritten");
        write(source.resolve("big/new"), "new");
        long max = GuidedPlan.maxListed;
        GuidedPlan.maxListed = 20;
        try {
            DirectoryJob job = h.run(false);
            assertFull(job, "the change is in folders that hold more than ");
            assertTrue(job.reason().contains("more than a guided run lists in this heap (20; JAVA_OPTS=-Xmx raises it)"),
                    job.reason());
        } finally {
            GuidedPlan.maxListed = max;
        }
        Path mirror = Layout.mirror(h.mainRoot, source);
        assertEquals("rewritten", Files.readString(mirror.resolve("big/f7")));
        assertEquals("new", Files.readString(mirror.resolve("big/new")));
        assertEquals(detection, h.run(false).kind().id(), "the next night: guided again");
    }

    /**
     * A folder looked at again, or a full sync: the entries whose change time moved get their mode and attributes
     * read again, the others keep the last record (read back with an independent reader: Java's own views of the source).
     */
    @ParameterizedTest
    @ValueSource(strings = {"rctime", "manifest", "full"})
    void aGuidedRunRecordsNewModesAndAttributesOfTheFoldersItLooksAt(String detection) throws Exception {
        boolean full = detection.equals("full");     // the walk before a full sync (--full) keeps records the same way
        SyncHarness h = harness(full ? Map.of() : Map.of("backup.change-detection", detection));
        write(source.resolve("a/kept.txt"), "kept");
        write(source.resolve("a/mode.txt"), "mode");
        write(source.resolve("a/attr.txt"), "attr");
        h.run(false);
        Files.setPosixFilePermissions(source.resolve("a/mode.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.getFileAttributeView(source.resolve("a/attr.txt"), UserDefinedFileAttributeView.class)
                .write("site", StandardCharsets.UTF_8.encode("idream"));    // user.site
        write(source.resolve("a/new.txt"), "new");                 // the folder changes: it is listed again
        DirectoryJob job = h.run(full);
        assertEquals(detection, job.kind().id(), job.reason());
        Map<String, ManifestEntry> recorded = new HashMap<>();
        ManifestReader.read(job.manifest(), e -> recorded.put(e.path(), e));
        for (String f : List.of("a/kept.txt", "a/mode.txt", "a/attr.txt", "a/new.txt")) {
            int mode = (int) Files.getAttribute(source.resolve(f), "unix:mode") & 07777;
            assertEquals(Integer.toOctalString(mode), Integer.toOctalString(recorded.get(f).mode()), f);
        }
        assertTrue(recorded.get("a/attr.txt").xattrs() != null && recorded.get("a/attr.txt").xattrs().contains("user.site="),
                "the attribute set since the last run: " + recorded.get("a/attr.txt"));
        assertEquals(null, recorded.get("a/kept.txt").xattrs());
    }

    /** The last run's manifest a delta whose base is gone (removed by hand): the next run is full. */
    @Test
    void aDeltaWhoseBaseIsGoneMakesItFull() throws Exception {
        SyncHarness h = harness(Map.of());
        DirectoryJob first = h.run(false);
        write(source.resolve("a/new.txt"), "new");
        DirectoryJob second = h.run(false);
        assertEquals(SyncKind.RCTIME, second.kind(), second.reason());
        assertTrue(ManifestReader.header(second.manifest()).delta(), "a guided night writes a delta");
        String base = ManifestReader.header(first.manifest()).run();
        assertEquals(base, ManifestReader.header(second.manifest()).base());
        Files.delete(first.manifest());
        assertFull(h.decide(false), "is a delta whose base, the manifest of run " + base + ", is gone");
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
    void withoutRecursiveChangeTimesTheManifestOrWhenAskedNotToItIsFull() throws Exception {
        SyncHarness h = harness(Map.of());
        h.run(false);
        h.stats.unavailable();
        write(source.resolve("a/new.txt"), "new");
        DirectoryJob byManifest = h.decide(false);
        assertEquals(SyncKind.MANIFEST, byManifest.kind(), byManifest.reason());
        assertTrue(byManifest.reason().matches("changes since the last successful run \\(.*\\): 8 entries of the "
                + "source compared with its manifest in .* s \\(its 6 entries read in .* s\\), 2 folder\\(s\\) changed; .*"), byManifest.reason());
        assertEquals(List.of("a/new.txt"), byManifest.guidedPlan().filesToCopy());
        assertEquals(8, byManifest.directory().examined());
        SyncHarness onlyRctime = harness(Map.of("backup.change-detection", "rctime"));
        onlyRctime.stats.unavailable();
        assertFull(onlyRctime.decide(false), "not on CephFS: no recursive change times");
        assertFull(harness(Map.of("backup.change-detection", "full")).decide(false), "backup.change-detection = full");
    }

    /** On CephFS too when asked: what the walk finds is what differs from the manifest, whatever the times say. */
    @Test
    void theManifestFindsWhatChangedWhateverTheClocksSay() throws Exception {
        SyncHarness h = harness(Map.of("backup.change-detection", "manifest", "backup.rctime-margin", "0s"));
        h.run(false);
        Path same = source.resolve("a/1.txt");
        FileTime mtime = Files.getLastModifiedTime(same);
        Files.writeString(same, "A/1.TXT");                                 // the same size
        Files.setLastModifiedTime(same, mtime);                             // and the old time back (touch -r)
        Path behind = source.resolve("b/c/3.txt");                          // a writer whose clock is a year behind
        Files.writeString(behind, "new content");
        Files.setLastModifiedTime(behind, FileTime.from(Instant.now().minusSeconds(365 * 86_400L)));
        DirectoryJob job = h.run(false);
        assertEquals(SyncKind.MANIFEST, job.kind(), job.reason());
        assertEquals(List.of("a/1.txt", "b/c/3.txt"), job.guidedPlan().filesToCopy());
        assertEquals("A/1.TXT", Files.readString(job.directory().mirror().resolve("a/1.txt")));
        assertEquals("new content", Files.readString(job.directory().mirror().resolve("b/c/3.txt")));
        DirectoryJob none = h.run(false);
        assertEquals(List.of(), none.guidedPlan().filesToCopy(), none.reason());
        assertTrue(none.reason().contains(", 0 folder(s) changed; 0 changed directories compared"), none.reason());
        // nothing changed: the last manifest's entries carried under this run's header
        assertEquals(ManifestReader.entries(job.manifest()), ManifestReader.entries(none.manifest()));
        assertEquals(none.run().name(), ManifestReader.header(none.manifest()).run());
        assertEquals(List.of(), none.listings().problems());
    }

    /**
     * CephFS's counts of a snapshot can lag for good (writes through other clients not yet propagated when it was
     * taken): a walk of the source tells a lag (the next night guided) from a gap the guided copy left (full).
     */
    @Test
    void laggingCountsAreCheckedByAWalkOnlyAGapMakesTheNextRunFull() throws Exception {
        GuidedSync.countsWait = java.time.Duration.ofSeconds(2);
        SyncHarness h = harness(Map.of());
        h.run(false);
        write(source.resolve("a/new.txt"), "new");
        h.stats.lagTotals(1, 3, 1);                              // the new file not counted yet, then counted
        try (LogCapture log = new LogCapture()) {
            DirectoryJob caughtUp = h.run(false);
            assertEquals(SyncKind.RCTIME, caughtUp.kind(), caughtUp.reason());
            assertEquals(null, caughtUp.directory().fullNext(), "counts that caught up");
            assertTrue(log.text().contains("CephFS counted 3 files, 23 bytes in the source, the mirror holds 4 files, "
                    + "26 B (26 bytes); its counts caught up since"), log.text());
        }

        write(source.resolve("a/newer.txt"), "newer");
        h.stats.lagTotals(1, 5, Integer.MAX_VALUE);              // counts that do not catch up in time
        try (LogCapture log = new LogCapture()) {
            DirectoryJob lagged = h.run(false);
            assertEquals(SyncKind.RCTIME, lagged.kind(), lagged.reason());
            assertEquals(null, lagged.directory().fullNext(), "a lag, not a gap: the walk counts what the mirror holds");
            assertTrue(log.text().contains("a walk of the source counts what the mirror holds"), log.text());
        }
        assertEquals(SyncKind.RCTIME, h.decide(false).kind(), "the next night guided");

        h.stats.release();
        h.stats.holdBack(source.resolve("b"));                   // a change the recursive change times do not show
        h.stats.holdBack(source);
        write(source.resolve("b/hidden.txt"), "hidden");
        DirectoryJob gap = h.run(false);
        assertEquals(List.of(), gap.guidedPlan().filesToCopy(), "the guided copy missed it");
        assertTrue(String.valueOf(gap.directory().fullNext()).contains("a walk of it 6 files"),
                String.valueOf(gap.directory().fullNext()));
        h.stats.release();
        DirectoryJob full = h.run(false);
        assertFull(full, "the last run's whole-tree check found a difference");
        assertEquals("hidden", Files.readString(full.directory().mirror().resolve("b/hidden.txt")));
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

    /**
     * The cost model: a rerun with everything inside the margin hands rclone every file to check one by one; it
     * measures what that costs a file, the full sync measured its own cost, and when the guided copy would cost
     * more, the next run syncs in full and says why (the mirror: the source's, as always). Nothing measured: guided.
     */
    @Test
    void theCostModelSyncsInFullWhenCopyingFileByFileWouldCostMore() throws Exception {
        for (int i = 0; i < CostModel.SAMPLE; i++) {
            write(source.resolve("bulk/f" + i), "f" + i);
        }
        SyncHarness h = harness(Map.of("backup.rctime-margin", "1h"));
        DirectoryJob first = h.run(false);
        Path stateFile = Path.of(h.detection.stateFile(first));
        DirectoryState afterFull = DirectoryState.read(stateFile).orElseThrow();
        assertTrue(afterFull.fullSeconds() > 0, afterFull.json());
        assertEquals(CostModel.SAMPLE + 3, afterFull.fullFiles());
        assertEquals(null, afterFull.copySecondsPerFile(), "no guided copy measured yet");

        chmodR(source, "rw-r-----");             // every change time moved, inside the margin
        DirectoryJob rerun = h.run(false);       // size and mtime the same, the change times not: checked one by one
        assertEquals(SyncKind.RCTIME, rerun.kind(), "nothing measured yet, the guided copy stands: " + rerun.reason());
        assertEquals(CostModel.SAMPLE + 3, rerun.guidedPlan().filesToCopy().size());
        DirectoryState measured = DirectoryState.read(stateFile).orElseThrow();
        assertTrue(measured.copySecondsPerFile() > 0, measured.json());
        assertEquals(afterFull.fullSeconds(), measured.fullSeconds(), "the full sync's measure carried over");

        // a host where checking a file costs more than a whole-tree sync: the next run is a full one, and says why
        ObjectNode dear = (ObjectNode) JSON.readTree(stateFile.toFile());
        dear.put("copySecondsPerFile", 0.05).put("fullSeconds", 2.0);
        JSON.writeValue(stateFile.toFile(), dear);
        chmodR(source, "rw-rw----");
        write(source.resolve("bulk/f7"), "changed");
        DirectoryJob costed = h.run(false);
        assertFull(costed, "the cost model: " + (CostModel.SAMPLE + 3) + " changed file(s) to copy one by one would "
                + "take about 10 s (50.0 ms a file");
        assertTrue(costed.reason().contains("a full sync about 2 s"), costed.reason());
        assertEquals("changed", Files.readString(costed.directory().mirror().resolve("bulk/f7")));
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(costed.directory().mirror()));

        // where the full sync is dearer, the guided copy stands
        ObjectNode cheap = (ObjectNode) JSON.readTree(stateFile.toFile());
        cheap.put("copySecondsPerFile", 0.001).put("fullSeconds", 60.0);
        JSON.writeValue(stateFile.toFile(), cheap);
        DirectoryJob guided = h.decide(false);
        assertEquals(SyncKind.RCTIME, guided.kind(), guided.reason());
    }

    /**
     * A rerun with everything inside the margin (a run right after a run, an hourly schedule, the night after a bulk
     * ingest): a file whose size, modification time and change time are those the last manifest recorded is not
     * handed to rclone again; a same-size rewrite with its old modification time (its change time moved) is.
     */
    @Test
    void aRerunInsideTheMarginCopiesOnlyWhatTheLastManifestDoesNotRecordAsItIs() throws Exception {
        SyncHarness h = harness(Map.of("backup.rctime-margin", "1h"));
        assertEquals(SyncKind.FULL, h.run(false).kind());
        DirectoryJob rerun = h.run(false);
        assertEquals(SyncKind.RCTIME, rerun.kind(), rerun.reason());
        assertEquals(List.of(), rerun.guidedPlan().filesToCopy(), "every file inside the margin, none changed");
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(rerun.directory().mirror()));

        Path same = source.resolve("a/1.txt");
        FileTime mtime = Files.getLastModifiedTime(same);
        Files.writeString(same, "A/1.TXT");                       // the same size
        Files.setLastModifiedTime(same, mtime);                   // and the old time back (touch -r)
        DirectoryJob rewritten = h.run(false);
        assertEquals(List.of("a/1.txt"), rewritten.guidedPlan().filesToCopy());
        assertEquals("A/1.TXT", Files.readString(rewritten.directory().mirror().resolve("a/1.txt")));
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(rewritten.directory().mirror()));
        assertEquals(List.of(), h.run(false).guidedPlan().filesToCopy(), "recorded as it is now");
    }

    /** {@code chmod -R} of the files: their change times move, nothing else. */
    private static void chmodR(Path root, String mode) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            }
        }
    }

    /** The night in units a site can plan with: the entries a run examined, and how many a second, in the report. */
    @Test
    void theReportSaysHowManyEntriesEachSyncExamined() throws Exception {
        SyncHarness h = harness(Map.of());
        DirectoryJob full = h.run(false);
        assertEquals(3, full.directory().examined(), "a full sync examines the whole tree: its 3 files");
        write(source.resolve("a/new.txt"), "new");
        DirectoryJob guided = h.run(false);
        assertEquals(SyncKind.RCTIME, guided.kind(), guided.reason());
        assertEquals(1 + 2 + 3, guided.directory().examined(), "the root, its 2 folders, a's 3 files; b not looked into");
        var report = JSON.readTree(Report.of(guided.run()).json()).get("directories").get(0);
        assertEquals(6, report.get("entriesExamined").asLong());
        assertTrue(report.get("entriesPerSecond").asDouble() > 0, report.toString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
