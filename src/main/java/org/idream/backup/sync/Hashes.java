package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;

import org.idream.backup.manifest.HashIndex;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.names.Names;
import org.idream.backup.tree.ContentHash;

/**
 * The content hash each file of the mirror gets in the run's manifest, for {@code verify}: read from the mirror
 * where this run may have written the file (new, another size or modification time, changed since the last
 * run started), carried from the last run's manifest where it cannot have (one read of what was copied, not of
 * the whole tree each night). The versions a run displaces keep the hash the run before recorded.
 */
final class Hashes {
    private long read;
    private long bytesRead;

    /**
     * A full sync's manifest, recorded by the walk before the sync, with every file's hash filled in.
     *
     * @param previous the last run's manifest of this mirror (null or missing: every file is read)
     */
    void fill(Path work, Path mirror, Path previous, Path source, String run, OffsetDateTime started) throws IOException {
        HashIndex known = HashIndex.of(previous);
        long since = previous != null && Files.isRegularFile(previous) && ManifestReader.header(previous).started() != null
                ? nanos(ManifestReader.header(previous).started()) : Long.MIN_VALUE;
        Path filled = work.resolveSibling(work.getFileName() + ".hashed");
        try (ManifestWriter out = new ManifestWriter(filled, source, run, started, mirror, Manifest.VERSION)) {
            ManifestReader.read(work, e -> {
                if (!e.file()) {
                    out.write(e);
                    return;
                }
                String carried = e.ctime() != null && Long.parseLong(e.ctime()) < since
                        ? known.get(e.path(), e.size(), e.modTime()) : null;
                out.write(e.withSha256(carried != null ? carried : hash(mirror, e)));
            });
            out.finish();
        }
        Files.move(filled, work, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A file's hash read from the mirror now. */
    String hash(Path mirror, ManifestEntry e) {
        try {
            read++;
            bytesRead += e.size();
            return ContentHash.sha256(Names.resolveListed(mirror, e.fileSystemPath()));
        } catch (IOException ex) {
            return null;        // gone or unreadable: no hash, the validation says what is wrong
        }
    }

    /** Files read to hash them so far. */
    long read() {
        return read;
    }

    long bytesRead() {
        return bytesRead;
    }

    private static long nanos(OffsetDateTime t) {
        return t.toEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
