package org.idream.backup.rclone;

/**
 * rclone's exit codes (1.60.1, shared/notes/RCLONE.md) and what the orchestrator does with each.
 */
public enum RcloneExit {
    SUCCESS, RETRY_ONCE, RETRYABLE, FATAL;

    /** rclone's fatal error: overlapping paths, or {@code --max-delete} reached. */
    public static final int FATAL_ERROR = 7;

    public static RcloneExit of(int code) {
        return switch (code) {
            case 0, 9 -> SUCCESS;
            case 1 -> RETRY_ONCE;
            case 5, 6 -> RETRYABLE;
            default -> FATAL;
        };
    }

    /** Attempts allowed for a failure of this kind, given the configured number of attempts. */
    public int attemptsAllowed(int configuredAttempts) {
        return switch (this) {
            case SUCCESS, FATAL -> 1;
            case RETRY_ONCE -> Math.min(2, configuredAttempts);
            case RETRYABLE -> configuredAttempts;
        };
    }

    /** A short human explanation of an exit code, for logs and reports. */
    public static String describe(int code) {
        String what = switch (code) {
            case 0 -> "success";
            case 1 -> "uncategorised error";
            case 2 -> "syntax or usage error";
            case 3 -> "directory not found";
            case 4 -> "file not found";
            case 5 -> "temporary errors, retries exhausted";
            case 6 -> "less serious errors (e.g. a source file being updated)";
            case 7 -> "fatal error (overlapping paths, or --max-delete reached)";
            case 8 -> "transfer limit reached";
            case 9 -> "nothing transferred";
            case 143 -> "terminated";
            default -> "unknown exit code";
        };
        return "exit " + code + " (" + what + ")";
    }
}
