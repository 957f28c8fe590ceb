package org.idream.backup.rclone;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/**
 * An rclone call that ended with a failing exit code. The directory's error handler decides from
 * {@link #kind()} whether the whole call is tried again.
 */
public class RcloneFailure extends Failure {
    private final int exitCode;

    public RcloneFailure(int exitCode, String detail) {
        super(RunOutcome.FAILED, "rclone " + RcloneExit.describe(exitCode)
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public RcloneExit kind() {
        return RcloneExit.of(exitCode);
    }
}
