package org.idream.backup.run;

/** Source and mirror disagree after a sync. Never retried: the next run repairs, the report says so. */
public class ValidationFailure extends RuntimeException {
    public ValidationFailure(String message) {
        super(message);
    }
}
