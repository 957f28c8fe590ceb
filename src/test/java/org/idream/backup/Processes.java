package org.idream.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the launcher as an operator would: a separate process, output to a file. */
final class Processes {
    static final Path LAUNCHER = Path.of("bin/backup").toAbsolutePath();

    private Processes() {
    }

    record Done(int code, String output) {
    }

    static Process start(Path cwd, Path output, List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    static Done run(Path cwd, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return run(cwd, command, timeoutSeconds, env -> { });
    }

    /** Runs with the environment changed first (e.g. no locale, an RCLONE_CONFIG). */
    static Done run(Path cwd, List<String> command, int timeoutSeconds,
            java.util.function.Consumer<java.util.Map<String, String>> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(cwd, "output", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        environment.accept(pb.environment());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(out));
        }
        // lenient: a listing of a hostile tree holds names that are not UTF-8
        return new Done(p.exitValue(), new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.UTF_8));
    }
}
