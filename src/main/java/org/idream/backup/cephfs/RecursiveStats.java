package org.idream.backup.cephfs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A file system's recursive statistics of a directory: the newest change time anywhere below it, and the
 * files and bytes below it. CephFS keeps them ({@link CephFs#XATTRS}); a test can compute them from a
 * walk of a tree on any file system, or hold them back, as CephFS's lazy propagation does.
 */
public interface RecursiveStats {
    /** True when {@code dir}'s recursive statistics can be read. */
    boolean available(Path dir);

    /** The newest change time of anything below {@code dir} (itself included). */
    Instant rctime(Path dir) throws IOException;

    /** The files and bytes below {@code dir}. */
    Totals totals(Path dir) throws IOException;

    /** Files and bytes below a directory. */
    record Totals(long files, long bytes) {
    }
}
