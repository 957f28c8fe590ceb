package org.idream.backup.run;

/** A run stopped before its syncs by a check (too many logs, a failed precondition, ...). */
public class RunStopped extends RuntimeException {
    private final RunOutcome outcome;

    public RunStopped(RunOutcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public RunOutcome outcome() {
        return outcome;
    }
}
