package org.idream.backup.preconditions;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/** A critical precondition failed: the run stops before any sync, exit 4. */
public class PreconditionFailed extends Failure {
    public PreconditionFailed(String message) {
        super(RunOutcome.PRECONDITION_FAILED, message);
    }
}
