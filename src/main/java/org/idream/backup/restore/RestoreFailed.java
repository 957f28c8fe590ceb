package org.idream.backup.restore;

/** A restore that found nothing to restore, or failed while copying (exit 1). */
public class RestoreFailed extends RuntimeException {
    public RestoreFailed(String message) {
        super(message);
    }
}
