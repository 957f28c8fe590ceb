package org.idream.backup.cephfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CephFS snapshots of a source: {@code mkdir <source>/.snap/<name>} freezes the subtree at once
 * (copy-on-write); {@code rmdir} removes it. This product names its snapshots
 * {@code ceph-backup-YYYY-MM-DD_HH-MM-SS[_n]} (the run's name) and removes only snapshots so named.
 */
public final class Snapshots {
    public static final String PREFIX = "ceph-backup-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX)
            + "\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}(_\\d+)?");

    private Snapshots() {
    }

    /** The snapshot name of a run ({@code YYYY-MM-DD/HH-MM-SS[_n]}). */
    public static String name(String runName) {
        return PREFIX + runName.replace('/', '_');
    }

    /** Where a source's snapshot of this name is read from. */
    public static Path path(Path source, String name) {
        return source.resolve(".snap").resolve(name);
    }

    /** Takes the snapshot; throws with the file system's reason when CephFS refuses (no 's' capability, disabled). */
    public static Path take(Path source, String name) throws IOException {
        return Files.createDirectory(path(source, name));
    }

    /** Removes a snapshot this product took. */
    public static void remove(Path snapshot) throws IOException {
        if (!OURS.matcher(snapshot.getFileName().toString()).matches()) {
            throw new IllegalArgumentException(snapshot + " is not a snapshot of this product");
        }
        Files.delete(snapshot);
    }

    /** This product's snapshots of a source that a killed run left (names it made only), oldest first. */
    public static List<Path> leftovers(Path source) throws IOException {
        List<Path> found = new ArrayList<>();
        Path snap = source.resolve(".snap");
        if (!Files.isDirectory(snap)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(snap)) {
            for (Path p : entries) {
                if (OURS.matcher(p.getFileName().toString()).matches()) {
                    found.add(p);
                }
            }
        }
        found.sort(null);
        return found;
    }
}
