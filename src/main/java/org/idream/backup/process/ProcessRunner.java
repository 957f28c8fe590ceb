package org.idream.backup.process;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way this product runs a process: from an argument list (never a shell), standard input from
 * /dev/null, with an optional timeout, its output streamed as it comes (nothing is buffered beyond one
 * line, so a six-hour sync neither stays silent nor fills the heap), and on timeout, interruption or
 * shutdown the whole process tree stopped: SIGTERM, 10 s to finish, then SIGKILL.
 *
 * <p>It is also what camel-exec runs the routes' short commands with (preconditions, retention: their output
 * is small and returned whole, {@link #capture}), through the executor the application binds as
 * {@code #processRunner}.
 */
public final class ProcessRunner {
    /** The exit code a command gets when its timeout stopped it (as a shell reports a SIGTERM). */
    public static final int TIMED_OUT = 143;
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final Map<Process, Thread> LIVE = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** What a short command printed, and how it ended. */
    public record Result(int exit, String out, String err) {
        /** The first line of stderr, or of stdout, for a one-line message. */
        public String firstLine() {
            String text = err.isBlank() ? out : err;
            return text.strip().lines().findFirst().orElse("(no output)");
        }

        /** env(1)'s codes: the command could not be found or run. */
        public boolean notRun() {
            return exit == 126 || exit == 127;
        }

        /** Its timeout stopped the command. */
        public boolean timedOut() {
            return exit == TIMED_OUT;
        }

    }

    /**
     * Runs {@code command} to its end.
     *
     * @param timeout        null for none; past it the process is stopped and the exit code is {@link #TIMED_OUT}
     * @param stdoutCharset  how standard output is read
     * @param stdout         reads standard output; called on this thread
     * @param stderr         receives each line of standard error; called on another thread
     * @return the exit code
     */
    public static int run(List<String> command, Duration timeout, Charset stdoutCharset, Consumer<Reader> stdout,
            Consumer<String> stderr) throws IOException, InterruptedException {
        LOG.debug("running: {}", command);
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        LIVE.put(process, Thread.currentThread());
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = timeout == null ? null : TIMER.schedule(() -> {
            timedOut.set(true);
            LOG.warn("{} timed out after {} s: stopping it", command.get(0), timeout.toSeconds());
            stop(process);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Thread errReader = new Thread(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.accept(line);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("reading the error output of {} failed: {}", command.get(0), e.toString());
            }
        }, "stderr-" + process.pid());
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
            return timedOut.get() ? TIMED_OUT : code;
        } catch (InterruptedException | IOException | RuntimeException e) {
            stop(process);
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            LIVE.remove(process);
        }
    }

    /** Runs a short command and returns its whole output. */
    public static Result capture(List<String> command, Duration timeout) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> err = new ArrayList<>();
        int code = run(command, timeout, StandardCharsets.ISO_8859_1, r -> {
            try {
                char[] buf = new char[8192];
                for (int n; (n = r.read(buf)) != -1; ) {
                    for (int i = 0; i < n; i++) {
                        out.write(buf[i]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, line -> {
            synchronized (err) {
                err.add(line);
            }
        });
        synchronized (err) {
            return new Result(code, out.toString(StandardCharsets.UTF_8), String.join("\n", err));
        }
    }

    /** Reads and discards a stream (the standard output of commands that print nothing useful). */
    public static void discard(Reader r) {
        try {
            r.transferTo(Writer.nullWriter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops a process and everything it started: SIGTERM, up to 10 s to finish its writes, then SIGKILL. */
    public static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the processes started by one thread (one directory's sync, whose cluster lease was lost). */
    public static void stopStartedBy(Thread thread) {
        for (var e : List.copyOf(LIVE.entrySet())) {
            if (e.getValue() == thread) {
                LOG.warn("stopping {} (pid {})", e.getKey().info().command().orElse("a process"), e.getKey().pid());
                stop(e.getKey());
            }
        }
    }

    /** Stops every process this JVM started and that is still running (a signal, shutdown). */
    public static void stopAll() {
        for (Process p : List.copyOf(LIVE.keySet())) {
            LOG.warn("stopping {} (pid {})", p.info().command().orElse("a process"), p.pid());
            stop(p);
        }
    }
}
