package org.idream.backup.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.process.ProcessRunner;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneVersion;
import org.idream.backup.tree.ContentHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up facts of SPEC §2 step 6: who runs the backup, the permissions of the mount point and
 * of the backup roots, the rclone version and config, who computes the content hashes, and every effective
 * parameter.
 */
public final class StartupFacts {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;
    private volatile String rcloneVersion;

    public StartupFacts(Settings settings) {
        this.settings = settings;
    }

    public void log(RcloneSetup rclone) throws InterruptedException {
        String user = System.getProperty("user.name");
        if (user.equals(settings.get(Keys.USER))) {
            LOG.info("user: {}", user);
        } else {
            LOG.warn("user: {}, not {} = {}", user, Keys.USER.name(), settings.get(Keys.USER));
        }
        List<String> paths = new ArrayList<>();
        settings.get(Keys.CEPH_MOUNT_POINT).ifPresent(p -> paths.add(p.toString()));
        paths.add(existing(settings.get(Keys.MAIN_ROOT)).toString());
        paths.add(existing(settings.get(Keys.DELETED_ROOT)).toString());
        for (String line : stat(paths)) {
            LOG.info("permissions: {}", line);
        }
        try {
            if (rcloneVersion == null) {
                rcloneVersion = RcloneVersion.firstLine(settings.get(Keys.RCLONE_BINARY)); // asked once per process
            }
            LOG.info("rclone: {} ({})", rcloneVersion, settings.get(Keys.RCLONE_BINARY));
        } catch (IOException | RuntimeException e) {
            LOG.warn("rclone version: {}", e.getMessage());
        }
        LOG.info("rclone config: {}", rclone.configFile().map(Path::toString).orElse("none (no --config)"));
        LOG.info("content hashes: SHA-256 by {}", ContentHash.isNative() ? "OpenSSL's libcrypto"
                : "the JVM (libcrypto.so.3 could not be loaded: with Debian's libssl3 installed, about ten times faster)");
        for (String line : settings.describe()) {
            LOG.info("parameter {}", line);
        }
    }

    /** {@code stat} as an external command with a timeout: a stat on a hung mount must not hang the run. */
    private static List<String> stat(List<String> paths) throws InterruptedException {
        List<String> argv = new ArrayList<>(List.of("stat", "--format", "%A %U:%G %n", "--"));
        argv.addAll(paths);
        try {
            ProcessRunner.Result r = ProcessRunner.capture(argv, Duration.ofSeconds(30));
            if (r.timedOut()) {
                return List.of("stat " + paths + " timed out after 30 s");
            }
            return (r.out() + "\n" + r.err()).strip().lines().toList();
        } catch (IOException e) {
            return List.of("stat failed: " + e.getMessage());
        }
    }

    private static Path existing(Path p) {
        while (p.getParent() != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }
}
