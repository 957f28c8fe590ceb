package org.idream.backup.sync;

import java.io.IOException;

import org.idream.backup.model.SyncKind;
import org.idream.backup.rclone.RcloneSync;

/**
 * One way to sync a directory, in three phases the per-directory route runs in order: {@link #plan} reads
 * the source and the mirror and finds what the sync will do (nothing in the mirror changes);
 * {@link #apply} is one attempt of the sync (retried as a whole); {@link #validate} lists both sides of
 * what it did and records the run's manifest of the mirror. Every strategy gives the mirror, the deleted
 * area and the manifest a full {@code rclone sync} of the same tree would give.
 */
public interface SyncStrategy {
    SyncKind kind();

    /** Before the sync, once. */
    void plan(DirectoryJob job) throws IOException;

    /** One attempt of the sync: what it changes in the mirror, and rclone's result. */
    RcloneSync.Result apply(DirectoryJob job) throws IOException, InterruptedException;

    /** After the sync: both sides of the validation, and the run's manifest of the mirror in its work file. */
    Listings validate(DirectoryJob job) throws IOException, InterruptedException;
}
