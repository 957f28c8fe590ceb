package org.idream.backup.preconditions;

import org.idream.backup.run.RunOutcome;
import org.idream.backup.run.RunStopped;

/** A critical precondition failed: the run stops before any sync, exit 4. */
public class PreconditionFailed extends RunStopped {
    public PreconditionFailed(String message) {
        super(RunOutcome.PRECONDITION_FAILED, message);
    }
}
