package org.idream.backup.rclone;

import java.io.IOException;
import java.util.List;

/** {@code rclone version}: its first line, for the start-up facts of the log. */
public final class RcloneVersion {
    private RcloneVersion() {
    }

    public static String firstLine(String binary) throws IOException, InterruptedException {
        String out = RcloneProcess.output(List.of(binary, "version"), line -> { });
        return out.strip().lines().findFirst().orElse("(no output)");
    }
}
