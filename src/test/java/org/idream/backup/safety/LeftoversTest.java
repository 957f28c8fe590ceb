package org.idream.backup.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What killed runs left: their work files and empty folders go; a displaced file or a manifest never does. */
class LeftoversTest {
    @TempDir
    Path deleted;

    private Path file(String rel) throws IOException {
        Path p = deleted.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, rel);
        return p;
    }

    @Test
    void workFilesAndEmptyFoldersGoDisplacedFilesManifestsAndThisRunStay() throws IOException {
        Path day = deleted.resolve("2026-12-06");
        file("2026-12-06/10-00-00.manifest/._srv_a.csv.gz.work");
        Files.createDirectories(day.resolve("10-00-00"));                       // killed before it displaced anything
        Path manifest = file("2026-12-06/11-00-00.manifest/_srv_a.csv.gz");    // killed after one source's manifest
        file("2026-12-06/11-00-00.manifest/._srv_b.csv.gz.listed");
        Path displaced = file("2026-12-06/12-00-00/srv/a/old.txt");            // killed after displacing a file
        file("2026-12-06/12-00-00.manifest/._srv_a.csv.gz.work.hashed");
        Path ours = file("2026-12-06/13-00-00.manifest/._srv_a.csv.gz.work");  // the run cleaning up
        Path base = file(".bases/2026-12-01/01-00-00.manifest/._srv_a.csv.gz.work");

        var removed = Leftovers.clean(deleted, day.resolve("13-00-00"));

        assertFalse(Files.exists(day.resolve("10-00-00.manifest")));
        assertFalse(Files.exists(day.resolve("10-00-00")));
        assertTrue(Files.exists(manifest), "a manifest is never a leftover");
        assertFalse(Files.exists(day.resolve("11-00-00.manifest/._srv_b.csv.gz.listed")));
        assertTrue(Files.exists(displaced), "a displaced file is never a leftover");
        assertFalse(Files.exists(day.resolve("12-00-00.manifest")));
        assertTrue(Files.exists(ours), "this run's own work file");
        assertTrue(Files.exists(base), "the kept bases are not a run's");
        assertEquals(6, removed.size(), removed.toString());
    }
}
