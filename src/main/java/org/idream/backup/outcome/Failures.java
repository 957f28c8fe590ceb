package org.idream.backup.outcome;

import org.apache.camel.util.ObjectHelper;

/**
 * The one map from an exception to what it means: the first {@link Failure} in its cause chain (found
 * with Camel's own helper), or, for anything the product did not throw on purpose, a failed outcome
 * whose message names the root cause.
 */
public final class Failures {
    private Failures() {
    }

    public static Failure of(Throwable t) {
        if (t == null) {
            return new Failure(RunOutcome.FAILED, "unknown error");
        }
        Failure known = ObjectHelper.getException(Failure.class, t);
        return known != null ? known : new Failure(RunOutcome.FAILED, "unexpected error: " + root(t));
    }

    /** True when the product threw it on purpose: its message is the whole story, no stack trace needed. */
    public static boolean expected(Throwable t) {
        return t != null && ObjectHelper.getException(Failure.class, t) != null;
    }

    /** The innermost cause of {@code t} (itself when it has none). */
    public static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** One line: the exception and, when it differs, its root cause. */
    public static String describe(Throwable t) {
        Throwable root = root(t);
        return root == t ? t.toString() : t.getMessage() + " (" + root + ")";
    }
}
