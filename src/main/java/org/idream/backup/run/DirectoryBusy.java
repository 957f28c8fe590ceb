package org.idream.backup.run;

/**
 * An rclone from an earlier run (left running by a {@code kill -9} of its JVM) still holds the
 * mirror's lock: this directory is not synced this time, and never by two rclones at once.
 */
public class DirectoryBusy extends RuntimeException {
    public DirectoryBusy(String message) {
        super(message);
    }
}
