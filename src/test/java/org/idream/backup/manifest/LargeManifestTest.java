package org.idream.backup.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest large enough to be split into records on a thread of its own ({@link ManifestReader}): every entry
 * back in its order, field for field (names with commas, quotes, newlines); a reader that stops part way stops
 * that thread; a file cut short fails with an I/O error, not with fewer entries.
 */
class LargeManifestTest {
    @TempDir
    Path tmp;

    private List<ManifestEntry> entries(int n) {
        Random random = new Random(7);
        List<ManifestEntry> all = new ArrayList<>();
        byte[] hash = new byte[32];
        for (int i = 0; i < n; i++) {
            random.nextBytes(hash);
            String name = switch (i % 5) {
                case 0 -> "run " + i + "/f, \"quoted\"\nline " + i;
                case 1 -> "é/ü" + i + ".dat";
                default -> "d" + (i % 97) + "/f" + i;
            };
            all.add(new ManifestEntry(i, name, Long.toString(1_000_000_000L * i + i), null, ManifestEntry.FILE, i % 3,
                    0, 0640, "user" + (i % 3), "root", i % 7 == 0 ? "user.k=dg==" : null, null, Long.toString(i),
                    HexFormat.of().formatHex(hash)));
        }
        return all;
    }

    @Test
    void everyEntryComesBackInItsOrder() throws IOException {
        List<ManifestEntry> written = entries(60_000);
        Path file = TestManifests.whole(tmp.resolve("deleted"), Path.of("/ceph/exp"), "2026-12-01/01-30-00", written);
        assertTrue(Files.size(file) > 1_000_000, "large enough for the thread of its own: " + Files.size(file));
        assertEquals(written, ManifestReader.entries(file));
        assertFalse(splitterAlive());
    }

    @Test
    void aReaderThatStopsPartWayStopsTheSplitting() throws IOException {
        Path file = TestManifests.whole(tmp.resolve("deleted"), Path.of("/ceph/exp"), "2026-12-01/01-30-00",
                entries(60_000));
        IllegalStateException enough = new IllegalStateException("enough");
        int[] seen = {0};
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> ManifestReader.read(file, e -> {
            if (++seen[0] == 5_000) {
                pause();                // the splitting thread meanwhile fills its queue and waits
                throw enough;
            }
        }));
        assertSame(enough, thrown);
        assertEquals(5_000, seen[0]);
        assertFalse(splitterAlive(), "the thread that splits the records has ended");
    }

    @Test
    void aFileCutShortFailsInsteadOfGivingFewerEntries() throws IOException {
        Path file = TestManifests.whole(tmp.resolve("deleted"), Path.of("/ceph/exp"), "2026-12-01/01-30-00",
                entries(60_000));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        long[] n = {0};
        IOException e = assertThrows(IOException.class, () -> ManifestReader.read(file, x -> n[0]++));
        assertTrue(n[0] < 60_000, n[0] + " entries before the failure");
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("end"), String.valueOf(e));
        assertFalse(splitterAlive());
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean splitterAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("manifest-read") && t.isAlive());
    }
}
