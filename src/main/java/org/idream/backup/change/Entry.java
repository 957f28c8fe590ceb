package org.idream.backup.change;

import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.idream.backup.rclone.RcloneListing;

/**
 * One directory entry, as this product and rclone both see it: its name, what it is, its size (a
 * link's: its target's length in bytes, as rclone's {@code .rclonelink} object), its modification and
 * change times, a link's target, and how many hard links a file has.
 */
public record Entry(String name, Kind kind, long size, FileTime mtime, FileTime ctime, String linkTarget, int nlink) {

    /** What an entry is; {@link #OTHER} (a FIFO, a socket, a device) is skipped, as rclone skips it. */
    public enum Kind { FILE, LINK, DIR, OTHER }

    private static final DateTimeFormatter LSF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** The name rclone gives it with {@code --links}: a link is {@code NAME.rclonelink}. */
    public String remoteName() {
        return kind == Kind.LINK ? name + RcloneListing.LINK_SUFFIX : name;
    }

    /** The modification time as {@code rclone lsf} prints it (format {@code t}), for manifests. */
    public String lsfTime() {
        return LSF_TIME.format(mtime.toInstant());
    }
}
