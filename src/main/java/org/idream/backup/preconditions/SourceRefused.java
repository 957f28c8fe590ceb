package org.idream.backup.preconditions;

/**
 * The empty-mount guard refused a directory: syncing it would move its whole mirror into the
 * deleted area. That directory fails; the others go on; retention is skipped.
 */
public class SourceRefused extends RuntimeException {
    public SourceRefused(String message) {
        super(message);
    }
}
