package org.idream.backup.rclone;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.idream.backup.process.ProcessRunner;

/** {@code rclone version}: its first line, for the start-up facts of the log. */
public final class RcloneVersion {
    private RcloneVersion() {
    }

    public static String firstLine(String binary) throws IOException, InterruptedException {
        return output(List.of(binary, "version")).strip().lines().findFirst().orElse("(no output)");
    }

    /** The standard output of a short rclone command; a failing exit throws {@link RcloneFailure}. */
    static String output(List<String> command) throws IOException, InterruptedException {
        ProcessRunner.Result r = ProcessRunner.capture(command, Duration.ofMinutes(1));
        if (r.exit() != 0) {
            throw new RcloneFailure(r.exit(), String.join(" ", command) + (r.err().isBlank() ? "" : ": "
                    + r.firstLine()));
        }
        return r.out();
    }
}
