package org.idream.backup.tree;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.names.Names;
import org.idream.backup.names.Xattrs;
import org.idream.backup.rclone.RcloneListing;

/**
 * One directory entry, as this product and rclone both see it: its name (in the listing's form, byte for
 * byte: {@link org.idream.backup.names.ListedNames}), what it is, its size (a link's: its target's length in
 * bytes, as rclone's {@code .rclonelink} object), its modification and change times, a link's target (in the
 * listing's form), how many hard links a file has, its owner, group and mode, its inode, and its path
 * (whose bytes are exact).
 */
public record Entry(String name, Kind kind, long size, FileTime mtime, FileTime ctime, String linkTarget, int nlink,
        int uid, int gid, int mode, long ino, Path path) {

    /** What an entry is; {@link #OTHER} (a FIFO, a socket, a device) is skipped, as rclone skips it. */
    public enum Kind {
        FILE, LINK, DIR, OTHER;

        /** What a stat(2) mode's type bits say. */
        public static Kind of(int mode) {
            return switch (mode & 0170000) {
                case 0100000 -> FILE;
                case 0040000 -> DIR;
                case 0120000 -> LINK;
                default -> OTHER;
            };
        }
    }

    /** The name rclone gives it with {@code --links}: a link is {@code NAME.rclonelink}. */
    public String remoteName() {
        return kind == Kind.LINK ? name + RcloneListing.LINK_SUFFIX : name;
    }

    /**
     * Its manifest entry in the folder {@code dir} (relative, '/'-separated): the path in the listing's form (a
     * link's as {@code NAME.rclonelink}, a folder's ending in /), the modification time in nanoseconds, owner,
     * group and mode, with their names where they resolve, its POSIX ACLs and {@code user.*} attributes (read
     * now), and for a file with more than one hard link its inode (the hard-link group).
     */
    public ManifestEntry manifestEntry(String dir, Owners owners) throws IOException {
        return manifestEntry(dir, owners, Names.absoluteBytes(path));
    }

    /** {@link #manifestEntry(String, Owners)}, its attributes read by {@code at}: its path's bytes, or a shorter way to it. */
    public ManifestEntry manifestEntry(String dir, Owners owners, byte[] at) throws IOException {
        return new ManifestEntry(manifestSize(), manifestPath(dir), Long.toString(nanos(mtime)), linkTarget,
                manifestKind(), uid, gid, mode & 07777, owners.user(uid), owners.group(gid),
                Xattrs.encode(Xattrs.read(at, kind == Kind.DIR)), kind == Kind.FILE && nlink > 1 ? ino : null,
                Long.toString(nanos(ctime)), null);
    }

    /** Its path in a manifest, in the folder {@code dir}: a link's as {@code NAME.rclonelink}, a folder's ending in /. */
    public String manifestPath(String dir) {
        return Listing.join(dir, remoteName()) + (kind == Kind.DIR ? "/" : "");
    }

    /** Its kind in a manifest ({@link ManifestEntry#FILE}, {@link ManifestEntry#LINK}, {@link ManifestEntry#DIRECTORY}). */
    public char manifestKind() {
        return switch (kind) {
            case DIR -> ManifestEntry.DIRECTORY;
            case LINK -> ManifestEntry.LINK;
            default -> ManifestEntry.FILE;
        };
    }

    /** Its size in a manifest (a folder's: 0). */
    public long manifestSize() {
        return kind == Kind.DIR ? 0 : size;
    }

    /**
     * The manifest entries of a folder's entries ({@link #manifestEntry}), in their order, each one's attributes
     * read by {@code at} (null: by its path); a few at once (on CephFS each read is a round trip to the MDS: a
     * listxattr an entry, two more a folder).
     */
    private static List<ManifestEntry> readAttributes(String dir, List<Entry> entries, Owners owners,
            Function<Entry, byte[]> at) throws IOException {
        return Listing.each(entries, e -> at == null ? e.manifestEntry(dir, owners)
                : e.manifestEntry(dir, owners, at.apply(e)));
    }

    /**
     * The manifest entries of a folder's entries, in their order, where an entry whose change time, kind, size,
     * modification time and link target are what the last run recorded ({@code before} gives that record by its
     * manifest path, or null) keeps that record: its owner, mode, ACLs and attributes cannot have changed without
     * moving its change time (on CephFS its quota and layout neither: checked on the lab). The others' attributes
     * are read.
     */
    public static List<ManifestEntry> manifestEntries(String dir, List<Entry> entries, Owners owners,
            Function<String, ManifestEntry> before) throws IOException {
        return manifestEntries(dir, entries, owners, before, null);
    }

    /**
     * {@link #manifestEntries(String, List, Owners, Function)}, the attributes of the entries read by {@code at}
     * (null: by their paths), such as {@link DirectWalk.Folder#at}.
     */
    public static List<ManifestEntry> manifestEntries(String dir, List<Entry> entries, Owners owners,
            Function<String, ManifestEntry> before, Function<Entry, byte[]> at) throws IOException {
        List<Entry> changed = new ArrayList<>();
        List<ManifestEntry> kept = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            ManifestEntry b = before.apply(e.manifestPath(dir));
            if (b != null && e.unchangedSince(b)) {
                kept.add(b);
            } else {
                changed.add(e);
                kept.add(null);
            }
        }
        Iterator<ManifestEntry> read = readAttributes(dir, changed, owners, at).iterator();
        List<ManifestEntry> out = new ArrayList<>(entries.size());
        for (ManifestEntry e : kept) {
            out.add(e != null ? e : read.next());
        }
        return out;
    }

    /** Whether its change time, kind, size, modification time and link target are what the record {@code b} says. */
    public boolean unchangedSince(ManifestEntry b) {
        return b.kind() == manifestKind() && b.size() == manifestSize()
                && b.modTime().equals(Long.toString(nanos(mtime)))
                && Long.toString(nanos(ctime)).equals(b.ctime())
                && Objects.equals(b.linkTarget(), linkTarget);
    }

    /** A time in nanoseconds since the epoch, as manifests record it. */
    public static long nanos(FileTime time) {
        Instant t = time.toInstant();
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
