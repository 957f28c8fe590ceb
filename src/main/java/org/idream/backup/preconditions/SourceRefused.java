package org.idream.backup.preconditions;

import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/**
 * The empty-mount guard refused a directory: syncing it would move its whole mirror into the
 * deleted area. That directory is refused; the others go on; retention is skipped.
 */
public class SourceRefused extends Failure {
    public SourceRefused(String message) {
        super(RunOutcome.FAILED, DirectoryStatus.REFUSED, message);
    }
}
