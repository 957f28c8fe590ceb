package org.idream.backup.preconditions;

import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/**
 * A source that does not exist (renamed, removed) while the mount itself is fine: that directory alone
 * fails, as {@code missing}; the others are backed up (exit 1); its mirror and deleted area stay as
 * they are.
 */
public class SourceMissing extends Failure {
    public SourceMissing(String message) {
        super(RunOutcome.FAILED, DirectoryStatus.MISSING, message);
    }
}
