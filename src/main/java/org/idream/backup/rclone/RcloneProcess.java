package org.idream.backup.rclone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one rclone process from an argument list (never a shell) and streams its output as it comes:
 * stdout to a reader on the calling thread, stderr line by line to a consumer on a second thread.
 * Nothing is buffered beyond one line, so a six-hour sync neither stays silent nor fills the heap.
 */
public final class RcloneProcess {
    private static final Logger LOG = LoggerFactory.getLogger(RcloneProcess.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    private RcloneProcess() {
    }

    /**
     * Runs {@code command} to its end.
     *
     * @param stdout reads the process's standard output; called on this thread
     * @param stderr receives each line of standard error; called on another thread
     * @return the exit code
     */
    public static int run(List<String> command, Consumer<Reader> stdout, Consumer<String> stderr)
            throws IOException, InterruptedException {
        return run(command, StandardCharsets.UTF_8, stdout, stderr);
    }

    /** As {@link #run(List, Consumer, Consumer)}, with standard output read in {@code stdoutCharset}. */
    public static int run(List<String> command, java.nio.charset.Charset stdoutCharset, Consumer<Reader> stdout,
            Consumer<String> stderr) throws IOException, InterruptedException {
        LOG.debug("running: {}", command);
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        LIVE.add(process);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Thread errReader = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.accept(line);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("reading rclone's error output failed: {}", e.toString());
            }
        }, "rclone-stderr-" + process.pid());
        errReader.setDaemon(true);
        errReader.start();
        try {
            try (Reader out = new InputStreamReader(process.getInputStream(), stdoutCharset)) {
                stdout.accept(out);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            int code = process.waitFor();
            errReader.join();
            return code;
        } catch (InterruptedException | IOException | RuntimeException e) {
            stop(process);
            throw e;
        } finally {
            LIVE.remove(process);
        }
    }

    /** Runs {@code command} and returns its standard output as text (for short outputs only). */
    public static String output(List<String> command, Consumer<String> stderr)
            throws IOException, InterruptedException {
        java.io.StringWriter text = new java.io.StringWriter();
        int code = run(command, r -> {
            try {
                r.transferTo(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, stderr);
        if (code != 0) {
            throw new RcloneFailure(code, String.join(" ", command));
        }
        return text.toString();
    }

    /** Reads and discards a stream (stdout of commands that print nothing useful). */
    public static void discard(Reader r) {
        try {
            r.transferTo(java.io.Writer.nullWriter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops a process: SIGTERM, up to 10 s for rclone to finish its current writes, then SIGKILL. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every rclone this JVM started and that is still running (shutdown). */
    public static void stopAll() {
        for (Process p : List.copyOf(LIVE)) {
            LOG.warn("stopping rclone (pid {})", p.pid());
            stop(p);
        }
    }
}
