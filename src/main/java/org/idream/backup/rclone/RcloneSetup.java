package org.idream.backup.rclone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every rclone call of one run shares (SPEC §2 steps 4 and 5): the binary, the config file when
 * it exists, the exclude file when it is usable, and its rules as rclone compiles them (empty when they
 * cannot be read here: then nothing is synced guided by change times). Travels through the run as the
 * exchange property {@value #PROPERTY}.
 */
public record RcloneSetup(String binary, Optional<Path> configFile, Optional<Path> excludeFile,
        Optional<RcloneFilters> filters, Optional<Path> apart) {
    public static final String PROPERTY = "rclone";

    public RcloneSetup(String binary, Optional<Path> configFile, Optional<Path> excludeFile,
            Optional<RcloneFilters> filters) {
        this(binary, configFile, excludeFile, filters, Optional.empty());
    }

    /** Without an exclude file: no rules. */
    public RcloneSetup(String binary, Optional<Path> configFile) {
        this(binary, configFile, Optional.empty(), Optional.of(RcloneFilters.NONE));
    }

    /**
     * The same, with the paths of an exclude file of this product's kept out of every call that reads a tree:
     * files rclone cannot carry ({@link LinkLookalikes}), which this product copies itself.
     */
    public RcloneSetup apart(Path excludes) {
        return new RcloneSetup(binary, configFile, excludeFile, filters, Optional.of(excludes));
    }

    /** {@code --config} when a config file exists: for every rclone call. */
    public List<String> configFlags() {
        return configFile.map(c -> List.of("--config", c.toString())).orElse(List.of());
    }

    /**
     * The flags of every call that reads a tree (sync, listing): the same filters and {@code --links} on
     * both sides, so that what is compared is what was synced.
     */
    public List<String> treeFlags() {
        List<String> flags = new ArrayList<>();
        flags.add("--links");
        excludeFile.ifPresent(f -> {
            flags.add("--exclude-from");
            flags.add(f.toString());
        });
        apart.ifPresent(f -> {
            flags.add("--exclude-from");
            flags.add(f.toString());
        });
        flags.addAll(configFlags());
        return flags;
    }

    /** rclone's log as one JSON object per stderr line ({@link RcloneLog}), from {@code level} up. */
    public static List<String> jsonLogFlags(String level) {
        return List.of("--use-json-log", "--log-level", level);
    }

    /** A stats line every {@code interval}, in the JSON log ({@link RcloneStats}): the progress of long calls. */
    public static List<String> statsFlags(Duration interval) {
        return List.of("--stats", interval.toSeconds() + "s", "--stats-log-level", "NOTICE");
    }
}
