package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 4 and 5 of a run (and of {@code check}): what every rclone call of the run shares. The rclone
 * config file, passed with {@code --config} only when it exists; the exclude file, used when it is
 * readable (missing, unreadable or empty is a WARNING); and its rules as rclone compiles them, for the
 * walks that must see what rclone sees. The config file's path and the compiled rules are kept while this
 * process lives and the exclude file is the same, so that a scheduled run of the daemon starts no rclone
 * but its syncs.
 */
public final class RcloneSetupStep {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;
    private volatile RcloneConfigFile configFile;
    private volatile Map.Entry<String, Optional<RcloneFilters>> compiledFilters;

    public RcloneSetupStep(Settings settings) {
        this.settings = settings;
    }

    /** The run's rclone setup; rclone that cannot be run stops the run (exit 4). */
    public RcloneSetup prepare() throws InterruptedException {
        String binary = settings.get(Keys.RCLONE_BINARY);
        RcloneConfigFile config = configFile;
        if (config == null) {
            try {
                config = RcloneConfigFile.locate(binary);
            } catch (IOException e) {
                throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot run rclone ("
                        + Keys.RCLONE_BINARY.name() + " = " + binary + "): " + e.getMessage());
            } catch (RuntimeException e) {
                throw new Failure(RunOutcome.PRECONDITION_FAILED, "'" + binary + " config file' failed: "
                        + e.getMessage());
            }
            configFile = config; // the path rclone uses does not change while this process lives
        }
        Optional<Path> existing = config.existing();
        if (existing.isPresent()) {
            LOG.info("rclone config: {} (passed with --config)", config.path());
        } else {
            LOG.info("rclone config: {} does not exist; running without --config (fine for local paths)",
                    config.path());
        }
        Optional<Path> exclude = usableExcludeFile();
        RcloneSetup plain = new RcloneSetup(binary, existing, exclude, Optional.empty());
        return new RcloneSetup(binary, existing, exclude, filters(plain));
    }

    /** The exclude file's rules as rclone compiles them; empty when Java cannot apply them. */
    private Optional<RcloneFilters> filters(RcloneSetup plain) throws InterruptedException {
        String key;
        try {
            key = plain.excludeFile().isEmpty() ? "" : plain.excludeFile().get() + "\n"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(plain.excludeFile().get())));
        } catch (IOException | NoSuchAlgorithmException e) {
            key = null;
        }
        var known = compiledFilters;
        if (key != null && known != null && known.getKey().equals(key)) {
            return known.getValue();
        }
        Optional<RcloneFilters> filters;
        try {
            filters = Optional.of(RcloneFilters.of(plain));
        } catch (IOException e) {
            LOG.warn("exclude file {}: its rules cannot be applied outside rclone ({}): every directory is synced in "
                    + "full", plain.excludeFile().map(Path::toString).orElse(""), e.getMessage());
            filters = Optional.empty();
        }
        if (key != null) {
            compiledFilters = Map.entry(key, filters);
        }
        return filters;
    }

    private Optional<Path> usableExcludeFile() {
        Optional<Path> configured = settings.get(Keys.EXCLUDE_FILE);
        if (configured.isEmpty()) {
            LOG.info("exclude file: none configured ({} is empty)", Keys.EXCLUDE_FILE.name());
            return Optional.empty();
        }
        Path file = configured.get();
        if (!Files.isRegularFile(file)) {
            LOG.warn("exclude file {} does not exist: running without --exclude-from", file);
            return Optional.empty();
        }
        if (!Files.isReadable(file)) {
            LOG.warn("exclude file {} is not readable: running without --exclude-from", file);
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            long patterns = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            if (patterns == 0) {
                LOG.warn("exclude file {} is empty: nothing is excluded", file);
            } else {
                LOG.info("exclude file {}: {} pattern(s), passed with --exclude-from", file, patterns);
            }
            for (String line : lines) {
                LOG.debug("exclude file: {}", line);
            }
            return Optional.of(file);
        } catch (IOException e) {
            LOG.warn("exclude file {} cannot be read ({}): running without --exclude-from", file, e.toString());
            return Optional.empty();
        }
    }
}
