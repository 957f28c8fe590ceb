package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneFilters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change-guided walk on real temporary trees, with recursive change times computed by a walk
 * ({@link WalkedStats}): it finds every change since a moment, and looks into nothing else.
 */
class GuidedPlanTest {
    @TempDir
    Path tmp;
    private Path source;
    private Path mirror;
    private final WalkedStats stats = new WalkedStats();

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @BeforeEach
    void twoEqualTrees() throws Exception {
        source = tmp.resolve("src");
        mirror = tmp.resolve("mirror");
        for (String f : List.of("a/old.txt", "b/changed.txt", "c/same-size.txt", "d/gone.txt", "e/kind", "f/x",
                "quiet/deep/er/file.txt", "h/linked.txt")) {
            write(source.resolve(f), f);
        }
        Files.createSymbolicLink(source.resolve("f/link"), Path.of("x"));
        Files.createLink(source.resolve("h/other-name.txt"), source.resolve("h/linked.txt"));
        for (Path p : List.of(source.resolve("c/same-size.txt"))) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }
        assertEquals(0, new ProcessBuilder("cp", "-a", source + "/.", mirror.toString()).start().waitFor());
    }

    /** A moment after everything so far, as the start of the last run. */
    private static Instant moment() throws InterruptedException {
        Thread.sleep(20);
        Instant t = Instant.now();
        Thread.sleep(20);
        return t;
    }

    private GuidedPlan plan(Instant since, Set<String> hardLinks) throws IOException {
        return GuidedPlan.of(source, mirror, RcloneFilters.NONE, since, hardLinks, stats);
    }

    @Test
    void nothingChangedNothingToDoAndOnlyTheRootLookedAt() throws Exception {
        GuidedPlan p = plan(moment(), Set.of());
        assertEquals(List.of(), p.filesToCopy());
        assertEquals(List.of(), p.displace);
        assertEquals(Set.of(), p.listed.keySet(), "not even the root looked into");
    }

    @Test
    void everyKindOfChangeIsFoundAndNothingElseIsVisited() throws Exception {
        Instant since = moment();
        write(source.resolve("a/new.txt"), "new");
        write(source.resolve("b/changed.txt"), "changed, and longer");
        Files.writeString(source.resolve("c/same-size.txt"), "C/SAME-SIZE.TXT");   // same size, mtime set back
        Files.setLastModifiedTime(source.resolve("c/same-size.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.delete(source.resolve("d/gone.txt"));
        Files.delete(source.resolve("e/kind"));
        write(source.resolve("e/kind/inner"), "a folder now");
        Files.delete(source.resolve("f/link"));
        Files.createSymbolicLink(source.resolve("f/link"), Path.of("elsewhere"));
        write(source.resolve("g/new/deep/x"), "a new tree");

        GuidedPlan p = plan(since, Set.of());
        assertEquals(new TreeSet<>(List.of("a/new.txt", "b/changed.txt", "c/same-size.txt", "e/kind/inner",
                "g/new/deep/x")), new TreeSet<>(p.filesToCopy()));
        assertEquals(new TreeSet<>(List.of("d/gone.txt", "e/kind", "f/link")), new TreeSet<>(p.displace));
        assertEquals(List.of(new GuidedPlan.Link("f/link", "elsewhere", Files.getLastModifiedTime(source.resolve("f/link"),
                LinkOption.NOFOLLOW_LINKS))), p.links);
        assertEquals(new TreeSet<>(List.of("e/kind", "g", "g/new", "g/new/deep")), new TreeSet<>(p.mkdirs));
        assertFalse(p.listed.containsKey("quiet") || p.listed.containsKey("quiet/deep") || p.listed.containsKey("h"),
                "folders without a change are not looked into: " + p.listed.keySet());
        assertEquals(Set.of(), p.hardLinkDirs(), "h was not looked into: its hard links are not known yet");
    }

    @Test
    void foldersHoldingHardLinkedFilesAreLookedIntoEveryTime() throws Exception {
        Instant since = moment();
        // a write through the other name: CephFS does not propagate it to this folder's rctime
        stats.holdBack(source.resolve("h"));
        stats.holdBack(source);
        Files.writeString(source.resolve("h/other-name.txt"), "written through the other link");
        GuidedPlan without = plan(since, Set.of());
        assertEquals(List.of(), without.filesToCopy(), "held back: the change is invisible without the record");
        GuidedPlan with = plan(since, Set.of("h"));
        assertEquals(new TreeSet<>(List.of("h/linked.txt", "h/other-name.txt")), new TreeSet<>(with.filesToCopy()));
        assertTrue(with.irregular(), "hard links: CephFS counts the tree otherwise than rclone lists it");
        assertEquals(Set.of("h"), with.hardLinkDirs());
    }

    @Test
    void aRecursiveChangeTimeHeldBackHidesAChangeTheMarginIsFor() throws Exception {
        Instant since = moment();
        stats.holdBack(source.resolve("b"));
        write(source.resolve("b/changed.txt"), "changed behind a lagging rctime");
        assertEquals(List.of(), plan(since, Set.of()).filesToCopy());
        stats.release();
        assertEquals(List.of("b/changed.txt"), plan(since, Set.of()).filesToCopy());
        assertEquals(List.of("b/changed.txt"), plan(since.minusSeconds(3600), Set.of()).filesToCopy().stream()
                .filter(f -> f.startsWith("b/")).toList());
    }

    @Test
    void anyNameIsFoundByteForByte() throws Exception {
        Instant since = moment();
        write(source.resolve("a/bad\nname"), "x");
        byte[] latin1 = "a/caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Files.writeString(Names.resolve(source, latin1), "not UTF-8");
        assertEquals(new TreeSet<>(List.of(ListedNames.of("a/bad\nname"), ListedNames.of(latin1))),
                new TreeSet<>(plan(since, Set.of()).filesToCopy()));
    }
}
