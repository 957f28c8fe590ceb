package org.idream.backup.outcome;

import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
        return known != null ? known : new Failure(RunOutcome.FAILED, "unexpected error: " + plain(root(t)));
    }

    /**
     * Logs a failure once, as the one ERROR line {@code line} makes of what it means (at DEBUG when it was
     * {@link Failure#alreadyTold() told where it happened}); the stack trace of one the product did not throw on
     * purpose only at DEBUG: an operator reads one line, a developer asks for the rest.
     */
    public static Failure told(Logger log, Throwable e, Function<Failure, String> line) {
        Failure f = of(e);
        if (f.alreadyTold()) {
            log.debug("{}", line.apply(f));
        } else {
            log.error("{}", line.apply(f));
        }
        if (!expected(e) && log.isDebugEnabled()) {
            log.debug("where it happened:\n{}", trace(e));
        }
        return f;
    }

    /** The same on the command line: the one line on standard error (the stack trace at DEBUG, in the log). */
    public static Failure told(PrintStream err, Throwable e, Function<Failure, String> line) {
        Failure f = of(e);
        err.println(line.apply(f));
        Logger log = org.slf4j.LoggerFactory.getLogger("backup");
        if (!expected(e) && log.isDebugEnabled()) {
            log.debug("where it happened:\n{}", trace(e));
        }
        return f;
    }

    /** A stack trace as text (the log's layouts print none: one line an event). */
    public static String trace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().stripTrailing();
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

    /** One line: what went wrong and, when it differs, its root cause, in words ({@link #plain}). */
    public static String describe(Throwable t) {
        Throwable root = root(t);
        return root == t || t.getMessage() == null ? plain(root) : t.getMessage() + " (" + plain(root) + ")";
    }

    /**
     * What an exception says, in an operator's words rather than Java's: a file system's errors as {@code PATH:
     * reason} ({@code no such file or directory}, {@code permission denied}, {@code read-only file system}, ...),
     * others by their message; never the class name, unless there is nothing else (then in words).
     */
    public static String plain(Throwable t) {
        if (t instanceof FileSystemException e) {
            String what = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> "
                    + e.getOtherFile()) + ": ";
            String reason = e.getReason();
            if (e instanceof NoSuchFileException) {
                reason = "no such file or directory";
            } else if (e instanceof AccessDeniedException && reason == null) {
                reason = "permission denied";
            } else if (e instanceof FileAlreadyExistsException && reason == null) {
                reason = "already exists";
            } else if (e instanceof DirectoryNotEmptyException) {
                reason = "folder not empty";
            } else if (e instanceof NotDirectoryException) {
                reason = "not a folder";
            }
            return what + (reason == null ? "failed" : lower(reason));
        }
        String m = t.getMessage();
        if (m != null && !m.isBlank()) {
            return m.strip();
        }
        String name = t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return lower(name.replaceAll("([a-z])([A-Z])", "$1 $2")) + " (no message: the stack trace is in the log at "
                + "DEBUG)";
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
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
