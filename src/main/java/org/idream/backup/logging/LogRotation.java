package org.idream.backup.logging;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import org.idream.backup.model.Clocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of run logs and reports (SPEC §2 step 3): delete those older than the maximum age, then
 * count the logs that remain. Only files named like this product's logs and reports are touched.
 */
public final class LogRotation {
    private static final Logger LOG = LoggerFactory.getLogger(LogRotation.class);
    static final Pattern NAME = Pattern.compile("backup_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}(_\\d+)?\\.(log|json)");

    private LogRotation() {
    }

    /**
     * @return the number of run logs left in {@code logDir}, this run's own included
     */
    public static int rotate(Path logDir, Duration maxAge, Path current) throws IOException {
        Instant cutoff = Instant.now(Clocks.clock()).minus(maxAge);
        int deleted = 0;
        int left = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!NAME.matcher(name).matches() || !Files.isRegularFile(f) || f.equals(current)) {
                    if (f.equals(current)) {
                        left++;
                    }
                    continue;
                }
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    Files.delete(f);
                    deleted++;
                    LOG.debug("log rotation: deleted {}", f);
                } else if (name.endsWith(".log")) {
                    left++;
                }
            }
        }
        LOG.info("log rotation: {} file(s) older than {} days deleted from {}, {} run log(s) kept",
                deleted, maxAge.toDays(), logDir, left);
        return left;
    }
}
