package org.idream.backup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.idream.backup.config.Key;
import org.idream.backup.config.Settings;
import picocli.CommandLine.Option;

/**
 * The options every command that reads the configuration takes: {@code --config FILE} and
 * {@code -Dkey=value}; and how the configuration is then loaded (SPEC §3: -D, environment, the
 * operator's file, the shipped file), validated before anything is written.
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "your properties file; its keys override config/application.properties")
    private Path config;

    @Option(names = "-D", paramLabel = "key=value", mapFallbackValue = "",
            description = "override one key (strongest)")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** The effective configuration; throws {@link org.idream.backup.config.ConfigException} (exit 2). */
    Settings load(Context context) {
        String names = System.getProperty("sun.jnu.encoding", "");
        if (!names.equalsIgnoreCase("UTF-8")) {
            System.err.println("backup: WARNING: the JVM names files in " + names + ", not UTF-8: paths with "
                    + "non-ASCII characters will fail; run with LC_ALL=C.UTF-8 (bin/backup does)");
        }
        Properties all = new Properties();
        all.putAll(context.system());
        all.putAll(overrides);
        return Settings.load(home(context.system()).resolve("config/application.properties"),
                config == null ? null : config.toAbsolutePath(), context.env(), all);
    }

    /** One key of a configuration that may be invalid as a whole ({@link Settings#peek}). */
    <T> Optional<T> peek(Context context, Key<T> key) {
        Properties all = new Properties();
        all.putAll(context.system());
        all.putAll(overrides);
        return Settings.peek(key, home(context.system()).resolve("config/application.properties"),
                config == null ? null : config.toAbsolutePath(), context.env(), all);
    }

    /**
     * The installation folder holding {@code config/} and {@code routes/}: {@code -Dbackup.home}
     * (set by bin/backup), else the folder above the jar's {@code target/}, else the current folder.
     */
    static Path home(Properties system) {
        String set = system.getProperty("backup.home");
        if (set != null && !set.isBlank()) {
            return Path.of(set).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(ConfigOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
            if (candidate != null && Files.isDirectory(candidate.resolve("routes"))) {
                return candidate;
            }
        } catch (Exception e) {
            // fall through to the current folder
        }
        return Path.of("").toAbsolutePath();
    }
}
