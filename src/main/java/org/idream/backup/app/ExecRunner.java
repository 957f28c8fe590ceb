package org.idream.backup.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.TypeConverters;
import org.apache.camel.Converter;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;
import org.idream.backup.process.ProcessRunner;

/**
 * camel-exec's side of {@link ProcessRunner}: the executor of the routes' short commands
 * ({@code exec:...?commandExecutor=#processRunner}: an argument list, a timeout that stops the whole
 * process tree), and the converter that hands the steps a plain {@link ProcessRunner.Result} for camel-exec's
 * {@link ExecResult}.
 */
public final class ExecRunner implements ExecCommandExecutor, TypeConverters {

    /** Runs the endpoint's command with its timeout, and hands back the whole output. */
    @Override
    public ExecResult execute(ExecCommand command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(command.getExecutable());
        argv.addAll(command.getArgs());
        long ms = command.getTimeout();
        try {
            ProcessRunner.Result r = ProcessRunner.capture(argv, ms > 0 && ms < Long.MAX_VALUE
                    ? Duration.ofMillis(ms) : null);
            return new ExecResult(command, new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayInputStream(r.err().getBytes(StandardCharsets.UTF_8)), r.exit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + argv.get(0) + " was running", e);
        }
    }

    /** camel-exec's result, read whole, as the steps take it. */
    @Converter
    public static ProcessRunner.Result result(ExecResult r) {
        try {
            return new ProcessRunner.Result(r.getExitValue(), text(r.getStdout()), text(r.getStderr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
