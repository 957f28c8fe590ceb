package org.idream.backup.manifest;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.idream.backup.rclone.RcloneListing;

/**
 * One entry of a manifest, its path (and link target) in the listing's form: one char per byte, any name
 * byte for byte ({@link org.idream.backup.names.Names#resolveListed} makes a path of it). Version 3 adds its
 * POSIX ACLs and {@code user.*} attributes in their text form ({@link org.idream.backup.names.Xattrs}) and a
 * hard-link group (the source's inode of a file with more than one link: the same for every name of it), the
 * source's change time (nanoseconds) and the SHA-256 of the mirror's copy of a file (hex). A
 * version 1 entry has no kind ({@value #LISTED}: a file, or a link when it has a target) and no owner, group
 * or mode.
 */
public record ManifestEntry(long size, String path, String modTime, String linkTarget, char kind, Integer uid,
        Integer gid, Integer mode, String user, String group, String xattrs, Long linkGroup, String ctime,
        String sha256) {
    public static final char FILE = 'f';
    public static final char LINK = 'l';
    public static final char DIRECTORY = 'd';
    /** The kind of a version 1 entry, from rclone's listing: a file, or a link when it has a target. */
    public static final char LISTED = '0';

    /** A version 1 entry: a file or a link, nothing more known. */
    public ManifestEntry(long size, String path, String modTime, String linkTarget) {
        this(size, path, modTime, linkTarget, LISTED, null, null, null, null, null, null, null, null, null);
    }

    /** A version 2 entry: owners and modes, no extended attributes or hard-link groups. */
    public ManifestEntry(long size, String path, String modTime, String linkTarget, char kind, Integer uid, Integer gid,
            Integer mode, String user, String group) {
        this(size, path, modTime, linkTarget, kind, uid, gid, mode, user, group, null, null, null, null);
    }

    /** The same entry with the content's hash (hex SHA-256) of the mirror's copy. */
    public ManifestEntry withSha256(String hash) {
        return new ManifestEntry(size, path, modTime, linkTarget, kind, uid, gid, mode, user, group, xattrs, linkGroup,
                ctime, hash);
    }

    /** A file of the mirror (not a link, not a folder). */
    public boolean file() {
        return !directory() && !link();
    }

    public boolean link() {
        return linkTarget != null;
    }

    public boolean directory() {
        return kind == DIRECTORY;
    }

    /** Owner, group and mode are known (version 2). */
    public boolean hasOwnership() {
        return uid != null;
    }

    /** The name in the file system: a link is listed by rclone as {@code NAME.rclonelink}, a folder ends in /. */
    public String fileSystemPath() {
        if (directory()) {
            return path.substring(0, path.length() - 1);
        }
        return link() ? path.substring(0, path.length() - RcloneListing.LINK_SUFFIX.length()) : path;
    }

    /** The folder it is in, in the listing's form ("" for the top). */
    public String parent() {
        String p = directory() ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "" : p.substring(0, slash);
    }

    /** The modification time, when this entry has it to the nanosecond (version 2). */
    public FileTime fileTime() {
        if (kind == LISTED) {
            return null;
        }
        long nanos = Long.parseLong(modTime);
        return FileTime.from(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }
}
