package org.idream.backup.restore;

/** A restore that cannot be done as asked: one clear message, nothing written (exit 2). */
public class RestoreRefused extends RuntimeException {
    public RestoreRefused(String message) {
        super(message);
    }
}
