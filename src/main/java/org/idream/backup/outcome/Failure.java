package org.idream.backup.outcome;

/**
 * A failure the product knows: what it means for the run (its {@link RunOutcome}, hence the exit
 * code) and for the directory it happened in (its {@link DirectoryStatus}). Every exception the
 * product throws on purpose is one; {@link Failures#of} maps anything else.
 */
public class Failure extends RuntimeException {
    private final RunOutcome outcome;
    private final DirectoryStatus status;

    public Failure(RunOutcome outcome, DirectoryStatus status, String message) {
        super(message);
        this.outcome = outcome;
        this.status = status;
    }

    /** A failure that stops a whole run (or command) with this outcome. */
    public Failure(RunOutcome outcome, String message) {
        this(outcome, DirectoryStatus.FAILED, message);
    }

    public RunOutcome outcome() {
        return outcome;
    }

    public DirectoryStatus status() {
        return status;
    }

    /** True when it was told where it happened (a signal has its own line): logged again only at DEBUG. */
    public boolean alreadyTold() {
        return false;
    }
}
