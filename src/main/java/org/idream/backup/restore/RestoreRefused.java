package org.idream.backup.restore;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/** A restore that cannot be done as asked: one clear message, nothing written (exit 2). */
public class RestoreRefused extends Failure {
    public RestoreRefused(String message) {
        super(RunOutcome.CONFIG_ERROR, message);
    }
}
