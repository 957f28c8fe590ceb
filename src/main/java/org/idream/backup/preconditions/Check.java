package org.idream.backup.preconditions;

import java.util.List;

import org.apache.camel.Exchange;

/**
 * One check made with an external command (run through camel-exec, arguments as a list, with a
 * timeout), and how to read its result: log the outcome, and throw to stop.
 */
public interface Check {
    /** The name the routes use to ask for this check. */
    String name();

    /** The command and its arguments. */
    List<String> command(Exchange exchange);

    /** Reads the result; logs the outcome; throws when the check fails. */
    void judge(Exchange exchange, Result result);

    /** What the command did: exit code, standard output, standard error. */
    record Result(int exit, String out, String err) {
        /** The first line of stderr, or of stdout, for a one-line message. */
        public String firstLine() {
            String text = err.isBlank() ? out : err;
            return text.strip().lines().findFirst().orElse("(no output)");
        }

        /** env(1)'s codes: the command could not be found or run. */
        public boolean notRun() {
            return exit == 126 || exit == 127;
        }

        /** camel-exec's timeout killed the command. */
        public boolean timedOut() {
            return exit == 143;
        }
    }
}
