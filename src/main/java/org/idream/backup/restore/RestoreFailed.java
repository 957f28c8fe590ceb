package org.idream.backup.restore;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/** A restore that found nothing to restore, or failed while copying (exit 1). */
public class RestoreFailed extends Failure {
    public RestoreFailed(String message) {
        super(RunOutcome.FAILED, message);
    }
}
