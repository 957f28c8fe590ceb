package org.idream.backup.outcome;

import java.io.PrintStream;
import java.util.function.Function;

import org.slf4j.Logger;

/**
 * The one place a failure is classified and told. {@link #of} says what an exception means (the first
 * {@link Failure} in its cause chain, or, for anything the product did not throw on purpose, a failed
 * outcome whose message names the root cause); {@link #told} logs it once and hands back what it means,
 * whose {@link Failure#outcome() outcome} gives the exit code.
 */
public final class Failures {
    private Failures() {
    }

    public static Failure of(Throwable t) {
        if (t == null) {
            return new Failure(RunOutcome.FAILED, "unknown error");
        }
        Failure known = known(t);
        return known != null ? known : new Failure(RunOutcome.FAILED, "unexpected error: " + root(t));
    }

    /**
     * Logs a failure once, as the one ERROR line {@code line} makes of what it means (with the stack trace
     * only when the product did not throw it on purpose; at DEBUG when it was {@link Failure#alreadyTold()
     * told where it happened}), and returns what it means.
     */
    public static Failure told(Logger log, Throwable e, Function<Failure, String> line) {
        Failure f = of(e);
        if (f.alreadyTold()) {
            log.debug("{}", line.apply(f));
        } else if (expected(e)) {
            log.error("{}", line.apply(f));
        } else {
            log.error("{}", line.apply(f), e);
        }
        return f;
    }

    /**
     * The same on the command line: the one line on standard error, the stack trace after it only when the
     * product did not throw it on purpose.
     */
    public static Failure told(PrintStream err, Throwable e, Function<Failure, String> line) {
        Failure f = of(e);
        err.println(line.apply(f));
        if (!expected(e)) {
            e.printStackTrace(err);
        }
        return f;
    }

    /** True when the product threw it on purpose: its message is the whole story, no stack trace needed. */
    public static boolean expected(Throwable t) {
        return known(t) != null;
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

    /** The first {@link Failure} in the cause chain, or null. */
    private static Failure known(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Failure f) {
                return f;
            }
        }
        return null;
    }
}
