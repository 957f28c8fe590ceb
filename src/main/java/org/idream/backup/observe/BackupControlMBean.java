package org.idream.backup.observe;

/**
 * The application's MBean, {@code org.idream.backup:type=BackupControl}: the last run, the run in
 * progress, and an operation that starts a run now.
 */
public interface BackupControlMBean {
    /** success, failed, precondition-failed, interrupted-term, ... of the last run; empty before any. */
    String getLastOutcome();

    int getLastExitCode();

    String getLastReason();

    /** ISO-8601 times of the last run. */
    String getLastStart();

    String getLastEnd();

    String getLastReport();

    /** When the last run that succeeded for every directory ended (ISO-8601), or empty. */
    String getLastSuccess();

    /** One line per directory of the last run: {@code source: status - error}. */
    String[] getLastDirectories();

    boolean isRunning();

    /** Starts a run now, in the background; refused while one is running. Says which. */
    String runNow();
}
