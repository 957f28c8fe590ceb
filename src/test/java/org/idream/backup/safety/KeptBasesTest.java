package org.idream.backup.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Delta;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.manifest.TestManifests;
import org.idream.backup.model.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention never takes the base of a kept delta manifest: it is moved out of the dated folder that goes, the
 * delta reads the same after, and it is removed once no kept manifest is based on it.
 */
class KeptBasesTest {
    private static final Path SOURCE = Path.of("/ceph/data");
    private static final LocalDate TODAY = LocalDate.parse("2026-12-07");

    @TempDir
    Path tmp;

    @Test
    void theBaseOfAKeptDeltaOutlivesItsRunsFolder() throws Exception {
        Path root = tmp.resolve("deleted");
        Properties p = new Properties();
        p.setProperty("backup.deleted-root", root.toString());
        p.setProperty("backup.retention-days", "30");
        Retention retention = new Retention(Settings.load(Path.of("config/application.properties"), null, Map.of(), p));
        String base = run(40);
        Path whole = TestManifests.whole(root, SOURCE, base, List.of(folder("a"), file("a/x", 1)));
        Delta none = ManifestReader.delta(whole);
        TestManifests.delta(root, SOURCE, run(35), base, none.then(List.of("a"), List.of(), 1), List.of(file("a/y", 2)));
        Path delta = TestManifests.delta(root, SOURCE, run(10), base, none.then(List.of("a"), List.of(), 1), List.of(file("a/z", 3)));
        String full = run(20);
        TestManifests.whole(root, SOURCE, full, List.of(folder("b")));
        Path onFull = TestManifests.delta(root, SOURCE, run(5), full, none.then(List.of(), List.of(), 0), List.of());
        List<ManifestEntry> before = ManifestReader.entries(delta);

        retention.keepBases(TODAY.minusDays(30));
        Path kept = Layout.keptBase(root, base, SOURCE);
        assertTrue(Files.isRegularFile(kept), "the base of a kept delta, kept");
        for (String gone : List.of(run(40), run(35))) {              // what the route's rm then does
            deleteTree(root.resolve(gone.substring(0, 10)));
        }
        assertEquals(before, ManifestReader.entries(delta), "the delta reads the same with its base kept");
        assertEquals(List.of(folder("b")), ManifestReader.entries(onFull));

        retention.keepBases(TODAY.minusDays(5));        // 25 days later: the delta's folder and the other base's go
        assertFalse(Files.exists(kept), "no kept manifest is based on it any more");
        assertTrue(Files.isRegularFile(Layout.keptBase(root, full, SOURCE)), "the other base, kept for the last delta");
        deleteTree(root.resolve(run(20).substring(0, 10)));
        assertEquals(List.of(folder("b")), ManifestReader.entries(onFull));
    }

    private static String run(int daysAgo) {
        return TODAY.minusDays(daysAgo) + "/01-30-00";
    }

    private static ManifestEntry file(String path, int size) {
        return new ManifestEntry(size, path, "1000000000", null, ManifestEntry.FILE, 0, 0, 0644, "root", "root");
    }

    private static ManifestEntry folder(String path) {
        return new ManifestEntry(0, path + "/", "1000000000", null, ManifestEntry.DIRECTORY, 0, 0, 0755, "root", "root");
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
