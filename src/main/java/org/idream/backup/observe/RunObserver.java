package org.idream.backup.observe;

import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.model.BackupRun;

/** Something that watches runs (metrics, history, JMX): told, never asked, and never fails a run. */
public interface RunObserver {
    default void started(BackupRun run) {
    }

    /** A stats update of the rclone of one directory (its source path), while it runs. */
    default void progress(String source, RcloneStats stats) {
    }

    /** The run ended; its outcome is set (its report, pings and lock release are still to come). */
    default void finished(BackupRun run) {
    }

    /** The run is over: its lock released, another run can start. */
    default void closed(BackupRun run) {
    }
}
