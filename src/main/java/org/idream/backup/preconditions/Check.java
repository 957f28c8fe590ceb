package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.process.ProcessRunner;

/**
 * One check made with an external command (run by the route {@code check} through camel-exec, arguments
 * as a list, with a timeout), and how to read its result: log the outcome, and throw to stop.
 */
public interface Check {
    /** The name the routes use to ask for this check. */
    String name();

    /** The command and its arguments. */
    List<String> command(Subject subject);

    /** Reads the result and logs the outcome; false when it did not pass but the run goes on; throws to stop. */
    boolean judge(Subject subject, ProcessRunner.Result result);

    /**
     * What a check is about: a source (and its mirror) for the per-source checks, and which attempt this
     * is for the checks that are retried.
     */
    record Subject(Path source, Path mirror, int attempt) {
    }
}
