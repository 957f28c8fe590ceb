package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code rclone config file} (SPEC §2 step 4): the config path is the last line of its output. The
 * file is passed with {@code --config} only when it exists; local paths need no config.
 */
public record RcloneConfigFile(String path, boolean exists) {

    public static RcloneConfigFile locate(String binary) throws IOException, InterruptedException {
        String last = RcloneVersion.output(List.of(binary, "config", "file")).strip().lines()
                .reduce((a, b) -> b).orElse("").strip();
        return new RcloneConfigFile(last, !last.isEmpty() && Files.isRegularFile(Path.of(last)));
    }

    /** The file to pass with {@code --config}: only when it exists. */
    public Optional<Path> existing() {
        return exists ? Optional.of(Path.of(path)) : Optional.empty();
    }
}
