package org.idream.backup.cephfs;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * A file system's recursive statistics of a directory: the newest change time anywhere below it, and the
 * files and bytes below it. CephFS keeps them ({@link CephFs#XATTRS}); a test can compute them from a
 * walk of a tree on any file system, or hold them back, as CephFS's lazy propagation does. The change-guided
 * walk asks it where to look ({@link #folderChanged}) and which files to hand to rclone although their size and
 * modification time match the mirror's ({@link #fileChanged}); the manifest's comparison
 * ({@code sync.ManifestComparison}) answers both from a stat walk instead of change times.
 */
public interface RecursiveStats {
    /** True when {@code dir}'s recursive statistics can be read. */
    boolean available(Path dir);

    /** The newest change time of anything below {@code dir} (itself included). */
    Instant rctime(Path dir) throws IOException;

    /**
     * Whether something in or below {@code dir} changed after {@code since}: its recursive change time, or its own
     * change time (a folder made empty, or emptied and made again, can show an rctime of 0 on CephFS until
     * something is put in it).
     *
     * @param rctime its rctime when already read, else null
     */
    default boolean folderChanged(Path dir, FileTime ctime, Instant rctime, Instant since) throws IOException {
        return (rctime != null ? rctime : rctime(dir)).isAfter(since) || ctime.toInstant().isAfter(since);
    }

    /** Whether a file ({@code rel} below the walk's root) changed after {@code since}: its change time. */
    default boolean fileChanged(String rel, FileTime ctime, Instant since) {
        return ctime.toInstant().isAfter(since);
    }

    /**
     * Whether {@link #fileChanged} already compares a file's change time with what the last manifest recorded of it
     * (then a file it names differs from that record, and nothing is to be taken back by reading the manifest).
     */
    default boolean comparesRecords() {
        return false;
    }

    /** The files and bytes below {@code dir}. */
    Totals totals(Path dir) throws IOException;

    /** Files and bytes below a directory. */
    record Totals(long files, long bytes) {
    }
}
