package org.idream.backup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.idream.backup.config.ConfigException;
import org.idream.backup.config.Key;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import picocli.CommandLine.Option;

/**
 * The options every command that reads the configuration takes: {@code --config FILE} and
 * {@code -Dkey=value}; and how the configuration is then loaded (SPEC §3: -D, environment, the
 * operator's file, the shipped file), validated before anything is written.
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "your properties file (else $" + "CEPH_BACKUP_CONFIG, else the installed "
                    + "/etc/ceph-backup/backup.properties); its keys override the shipped config/application.properties")
    private Path config;

    @Option(names = "-D", paramLabel = "key=value", description = "override one key (strongest); -D key=value also")
    private List<String> definitions = new ArrayList<>();

    /** The environment variable naming the operator's file when {@code --config} does not. */
    public static final String CONFIG_VARIABLE = "CEPH_BACKUP_CONFIG";

    /** The operator's file (null: none, the shipped file alone) and how it was found. */
    record OperatorFile(Path path, String found) {
    }

    /**
     * Where the operator's keys are, as a Debian daemon finds its configuration: {@code --config FILE}, else
     * {@code $CEPH_BACKUP_CONFIG}, else {@code backup.properties} in the installation folder when it is there (the
     * package's {@code /etc/ceph-backup/backup.properties}), else none: the checkout's {@code config/} alone.
     */
    OperatorFile operatorFile(Context context) {
        if (config != null) {
            return new OperatorFile(config.toAbsolutePath(), "--config");
        }
        String named = context.env().get(CONFIG_VARIABLE);
        if (named != null && !named.isBlank()) {
            return new OperatorFile(Path.of(named).toAbsolutePath(), "$" + CONFIG_VARIABLE);
        }
        Path installed = home(context.system()).resolve("backup.properties");
        if (Files.isRegularFile(installed)) {
            return new OperatorFile(installed, "the installed configuration");
        }
        return new OperatorFile(null, "none");
    }

    /** The shipped file of every key's default ({@code config/application.properties}). */
    Path shipped(Context context) {
        return home(context.system()).resolve("config/application.properties");
    }

    /** The effective configuration; throws {@link org.idream.backup.config.ConfigException} (exit 2). */
    Settings load(Context context) {
        String names = System.getProperty("sun.jnu.encoding", "");
        if (!names.equalsIgnoreCase("UTF-8")) {
            System.err.println(Context.command(context.system()) + ": WARNING: the JVM names files in " + names
                    + ", not UTF-8: paths with non-ASCII characters will fail; run with LC_ALL=C.UTF-8 (the launcher "
                    + "does)");
        }
        Properties all = new Properties();
        all.putAll(context.system());
        all.putAll(overrides());
        OperatorFile operator = operatorFile(context);
        return Settings.load(shipped(context), operator.path(), operator.found(), context.env(), all);
    }

    /** One key of a configuration that may be invalid as a whole ({@link Settings#peek}). */
    <T> Optional<T> peek(Context context, Key<T> key) {
        Properties all = new Properties();
        all.putAll(context.system());
        try {
            all.putAll(overrides());
        } catch (ConfigException e) {
            // told by the command's load
        }
        return Settings.peek(key, shipped(context), operatorFile(context).path(), context.env(), all);
    }

    /**
     * The {@code -D key=value} and {@code -Dkey=value} of the command line (the launchers pass the second form to
     * the JVM); anything else after {@code -D} is refused as a bad configuration (exit 2).
     */
    private Map<String, String> overrides() {
        for (String d : definitions) {
            int eq = d.indexOf('=');
            if (eq <= 0 || d.startsWith("=") || d.substring(0, eq).isBlank()) {
                throw new ConfigException("-D", "-D " + d + " is not a setting: -Dkey=value or -D key=value (e.g. -D "
                        + Keys.PARALLELISM.name() + "=2)");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String d : definitions) {
            int eq = d.indexOf('=');
            out.put(d.substring(0, eq).strip(), d.substring(eq + 1));
        }
        return out;
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
