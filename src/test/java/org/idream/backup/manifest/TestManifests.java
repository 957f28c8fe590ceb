package org.idream.backup.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

import org.idream.backup.model.Layout;

/** Manifests of a run written where a run puts them ({@link Layout#manifestFile}), for the tests of deltas. */
public final class TestManifests {
    private static final OffsetDateTime WRITTEN = OffsetDateTime.parse("2026-12-01T01:30:00Z");

    private TestManifests() {
    }

    /** A whole manifest of {@code entries}. */
    public static Path whole(Path deletedRoot, Path source, String run, List<ManifestEntry> entries)
            throws IOException {
        return write(deletedRoot, source, run, null, null, entries);
    }

    /** A delta on the manifest of run {@code base}: {@code next}'s records, then {@code fresh}. */
    public static Path delta(Path deletedRoot, Path source, String run, String base, Delta.Next next,
            List<ManifestEntry> fresh) throws IOException {
        return write(deletedRoot, source, run, base, next, fresh);
    }

    private static Path write(Path deletedRoot, Path source, String run, String base, Delta.Next next,
            List<ManifestEntry> entries) throws IOException {
        Path work = Layout.manifestWork(deletedRoot.resolve(run), source);
        try (ManifestWriter w = new ManifestWriter(work, source, run, WRITTEN, deletedRoot, Manifest.VERSION, base)) {
            if (next != null) {
                next.writeTo(w);
            }
            entries.forEach(w::write);
            w.finish();
        }
        Path file = Layout.manifestFile(deletedRoot.resolve(run), source);
        Files.move(work, file);
        return file;
    }
}
