package org.idream.backup.rclone;

/**
 * An rclone call that ended with a failing exit code. The run's redelivery policy decides from
 * {@link #kind()} whether the whole call is tried again.
 */
public class RcloneFailure extends RuntimeException {
    private final int exitCode;

    public RcloneFailure(int exitCode, String detail) {
        super("rclone " + RcloneExit.describe(exitCode) + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public RcloneExit kind() {
        return RcloneExit.of(exitCode);
    }
}
