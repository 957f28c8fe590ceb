package org.idream.backup.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * How a directory is synced this run, and why: in full ({@code rclone sync} of the whole tree), or guided
 * by CephFS's recursive change times since {@code since} (then {@code plan} says what to do).
 */
public record SyncKind(boolean full, String reason, Instant since, GuidedPlan plan, Optional<DirectoryState> previous) {

    public static SyncKind fullSync(String reason, Optional<DirectoryState> previous) {
        return new SyncKind(true, reason, null, null, previous);
    }

    /** The report's and the log's name of the kind. */
    public String id() {
        return full ? "full" : "rctime";
    }
}
