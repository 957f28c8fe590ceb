package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rclone config file} (SPEC §2 step 4): the config path is the last line of its output. The
 * file is passed with {@code --config} only when it exists; local paths need no config.
 */
public record RcloneConfigFile(String path, boolean exists) {
    private static final Logger LOG = LoggerFactory.getLogger(RcloneConfigFile.class);

    public static RcloneConfigFile locate(String binary) throws IOException, InterruptedException {
        String out = RcloneProcess.output(List.of(binary, "config", "file"),
                line -> LOG.debug("rclone config file: {}", line));
        String last = out.strip().lines().reduce((a, b) -> b).orElse("").strip();
        return new RcloneConfigFile(last, !last.isEmpty() && Files.isRegularFile(Path.of(last)));
    }

    /** The file to pass with {@code --config}: only when it exists. */
    public Optional<Path> existing() {
        return exists ? Optional.of(Path.of(path)) : Optional.empty();
    }
}
