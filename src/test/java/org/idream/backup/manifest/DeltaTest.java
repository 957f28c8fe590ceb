package org.idream.backup.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import org.idream.backup.model.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta manifests read back as the state they stand for: against a model of the tree changed at random night
 * after night (files and folders made, rewritten, removed, turned into each other), the delta on the base reads
 * as the whole manifest a full rewrite would have written.
 */
class DeltaTest {
    private static final Path SOURCE = Path.of("/ceph/data");

    @TempDir
    Path tmp;

    private final TreeMap<String, ManifestEntry> tree = new TreeMap<>();
    private Random random;
    private int made;

    @Test
    void aDeltaOnItsBaseReadsAsTheWholeStateNightAfterNight() throws Exception {
        long seed = Long.getLong("delta.seed", System.nanoTime());
        random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            change(new TreeSet<>(), new TreeSet<>(), 4);       // only new files and folders
        }
        Path deletedRoot = tmp.resolve("deleted");
        String baseRun = "2026-12-01/01-30-00";
        Path base = TestManifests.whole(deletedRoot, SOURCE, baseRun, List.copyOf(tree.values()));
        Delta delta = ManifestReader.delta(base);
        assertEquals(0, delta.records(), "a whole manifest: nothing since itself");
        for (int night = 1; night <= 150; night++) {
            Set<String> relisted = new TreeSet<>();
            Set<String> removed = new TreeSet<>();
            for (int i = 0, n = random.nextInt(5); i < n; i++) {
                change(relisted, removed, 8);
            }
            List<ManifestEntry> fresh = new ArrayList<>();
            for (ManifestEntry e : tree.values()) {
                if (relisted.contains(e.parent())) {
                    fresh.add(e);
                }
            }
            String run = "2027-%02d-%02d/01-30-00".formatted(1 + night / 28, 1 + night % 28);
            Path m = TestManifests.delta(deletedRoot, SOURCE, run, baseRun, delta.then(relisted, removed, fresh.size()), fresh);
            assertEquals(List.copyOf(tree.values()), sorted(ManifestReader.entries(m)),
                    "seed " + seed + ", night " + night + ": relisted " + relisted + ", removed " + removed);
            delta = ManifestReader.delta(m);              // the next night starts from what was written
        }
    }

    /** One random change to the tree, with the folders it makes a guided walk list again and the trees it removes. */
    private void change(Set<String> relisted, Set<String> removed, int kinds) {
        List<String> folders = new ArrayList<>(List.of(""));
        tree.values().stream().filter(ManifestEntry::directory).forEach(e -> folders.add(e.fileSystemPath()));
        String in = folders.get(random.nextInt(folders.size()));
        List<ManifestEntry> here = tree.values().stream().filter(e -> e.parent().equals(in)).toList();
        int what = random.nextInt(kinds);
        if (here.isEmpty() || what <= 3) {                              // a new file or folder
            String name = (in.isEmpty() ? "" : in + "/")
                    + (random.nextBoolean() ? "new\nline, %d" : "f%d").formatted(made++);
            ManifestEntry e = what == 0 ? folder(name) : file(name, made);
            tree.put(e.path(), e);
            relisted.add(in);
            if (e.directory()) {
                relisted.add(name);
            }
            return;
        }
        ManifestEntry e = here.get(random.nextInt(here.size()));
        relisted.add(in);
        if (what == 4 && e.file()) {                                    // rewritten
            tree.put(e.path(), file(e.path(), made++));
        } else if (what == 5 && e.directory()) {                        // a folder turned into a file
            remove(e, removed);
            tree.put(e.fileSystemPath(), file(e.fileSystemPath(), made++));
        } else if (what == 6 && e.file()) {                             // a file turned into a folder
            tree.remove(e.path());
            tree.put(e.path() + "/", folder(e.path()));
            relisted.add(e.path());
        } else {
            remove(e, removed);
        }
    }

    private void remove(ManifestEntry e, Set<String> removed) {
        tree.remove(e.path());
        if (e.directory()) {
            tree.keySet().removeIf(p -> p.startsWith(e.path()));
            removed.add(e.path());
        }
    }

    private static ManifestEntry file(String path, int content) {
        return new ManifestEntry(content, path, Long.toString(content * 1_000_000_000L), null, ManifestEntry.FILE, 0, 0,
                0644, "root", "root", null, null, Long.toString(content), "ab".repeat(32));
    }

    private static ManifestEntry folder(String path) {
        return new ManifestEntry(0, path + "/", "1000000000", null, ManifestEntry.DIRECTORY, 0, 0, 0755, "root", "root");
    }

    private static List<ManifestEntry> sorted(List<ManifestEntry> entries) {
        TreeMap<String, ManifestEntry> byPath = new TreeMap<>();
        for (ManifestEntry e : entries) {
            assertNull(byPath.put(e.path(), e), "listed twice: " + e.path());
        }
        return List.copyOf(byPath.values());
    }

    /** A delta whose base is gone says so; one whose base retention kept is read from there. */
    @Test
    void aDeltaFindsItsBaseWhereRetentionKeepsIt() throws Exception {
        Path deletedRoot = tmp.resolve("deleted");
        tree.put("a/", folder("a"));
        tree.put("a/x", file("a/x", 1));
        Path base = TestManifests.whole(deletedRoot, SOURCE, "2026-11-01/01-30-00", List.copyOf(tree.values()));
        Path delta = TestManifests.delta(deletedRoot, SOURCE, "2026-12-01/01-30-00", "2026-11-01/01-30-00",
                ManifestReader.delta(base).then(List.of("a"), List.of(), 1), List.of(file("a/y", 2)));
        assertEquals(List.of(tree.get("a/"), file("a/y", 2)), ManifestReader.entries(delta));
        Path kept = Layout.keptBase(deletedRoot, "2026-11-01/01-30-00", SOURCE);
        Files.createDirectories(kept.getParent());
        Files.move(base, kept);
        assertEquals(List.of(tree.get("a/"), file("a/y", 2)), ManifestReader.entries(delta));
        Files.delete(kept);
        NoSuchFileException gone = assertThrows(NoSuchFileException.class, () -> ManifestReader.entries(delta));
        assertTrue(gone.getMessage().contains("its base, the manifest of run 2026-11-01/01-30-00, is gone"),
                gone.getMessage());
    }

    /** A manifest written in one gzip member (before the header had one of its own) reads as before. */
    @Test
    void anOlderLayoutReadsAsBefore() throws Exception {
        Path old = tmp.resolve("old.csv.gz");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(old)),
                StandardCharsets.ISO_8859_1)) {
            w.write("#{\"version\":3,\"source\":\"/ceph/data\",\"run\":\"r\",\"written\":\"2026-12-01T01:30:00Z\"}\n");
            w.write(Manifest.line(file("a", 1)) + "\n");
        }
        assertEquals(List.of(file("a", 1)), ManifestReader.entries(old));
        assertEquals(0, ManifestReader.delta(old).records());
    }
}
