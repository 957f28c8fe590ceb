package org.idream.backup.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest carried to the next run: the same entries, byte for byte, under the new run's header. */
class ManifestWriterTest {
    @TempDir
    Path tmp;

    private static final List<ManifestEntry> ENTRIES = List.of(
            new ManifestEntry(0, "a/", "1000000000", null, ManifestEntry.DIRECTORY, 0, 0, 0755, "root", "root", null,
                    null, "1000000001", null),
            new ManifestEntry(5, "a/new\nline, \"quoted\"", "2000000000", null, ManifestEntry.FILE, 0, 0, 0644, "root",
                    "root", null, null, "2000000001", "ab".repeat(32)));

    @Test
    void aNightWithoutChangeTakesTheEntriesAsTheyAreUnderItsOwnHeader() throws Exception {
        Path first = tmp.resolve("first.csv.gz");
        try (ManifestWriter w = new ManifestWriter(first, Path.of("/ceph/data"), "2026-12-01/01-30-00",
                OffsetDateTime.parse("2026-12-01T01:30:00Z"), tmp, Manifest.VERSION)) {
            ENTRIES.forEach(w::write);
            w.finish();
        }
        Path second = tmp.resolve("second.csv.gz");
        assertTrue(ManifestWriter.carry(first, second, Path.of("/ceph/data"), "2026-12-02/01-30-00",
                OffsetDateTime.parse("2026-12-02T01:30:00Z")));
        assertEquals(ENTRIES, ManifestReader.entries(second));
        assertEquals("2026-12-02/01-30-00", ManifestReader.header(second).run());
        assertEquals(Manifest.VERSION, ManifestReader.header(second).version());
        // carried again: the chain keeps its entries (the body is copied, never re-read)
        Path third = tmp.resolve("third.csv.gz");
        assertTrue(ManifestWriter.carry(second, third, Path.of("/ceph/data"), "2026-12-03/01-30-00",
                OffsetDateTime.parse("2026-12-03T01:30:00Z")));
        assertEquals(ENTRIES, ManifestReader.entries(third));
        long body = ManifestWriter.bodyOffset(first);
        byte[] a = Files.readAllBytes(first);
        byte[] c = Files.readAllBytes(third);
        assertEquals(a.length - body, c.length - ManifestWriter.bodyOffset(third), "the body copied byte for byte");
    }

    /** A manifest written in one gzip member (before this layout) is not carried: the run rewrites it. */
    @Test
    void anOlderLayoutIsNotCarried() throws Exception {
        Path old = tmp.resolve("old.csv.gz");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(old)),
                StandardCharsets.ISO_8859_1)) {
            w.write("#{\"version\":3,\"source\":\"/ceph/data\",\"run\":\"r\",\"written\":\"2026-12-01T01:30:00Z\"}\n");
            w.write(Manifest.line(ENTRIES.get(0)) + "\n");
        }
        assertEquals(-1, ManifestWriter.bodyOffset(old));
        assertFalse(ManifestWriter.carry(old, tmp.resolve("new.csv.gz"), Path.of("/ceph/data"), "r2",
                OffsetDateTime.parse("2026-12-02T01:30:00Z")));
        assertFalse(Files.exists(tmp.resolve("new.csv.gz")));
    }
}
