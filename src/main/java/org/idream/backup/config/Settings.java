package org.idream.backup.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The effective configuration: every key of {@link Keys}, loaded with the precedence of SPEC §3
 * (strongest first: {@code -Dkey=value}, environment, the operator's {@code --config FILE}, the
 * shipped file) and validated, alone and against each other ({@link Rules}), before anything is written;
 * an unknown key is refused with the nearest known one ({@link KeyHints}).
 */
public final class Settings {
    private final Map<Key<?>, Object> values = new LinkedHashMap<>();
    private final Map<Key<?>, String> raw = new LinkedHashMap<>();
    private final Map<Key<?>, String> origins = new LinkedHashMap<>();
    private final Properties fileProperties;
    /** The files read, in order of strength (the shipped file first), for where a Camel key came from. */
    private final Map<Path, Properties> files = new LinkedHashMap<>();

    private Settings(Properties fileProperties) {
        this.fileProperties = fileProperties;
    }

    /**
     * Loads and validates. Throws {@link ConfigException} whose message is one line naming the key.
     *
     * @param shipped      the shipped {@code config/application.properties}
     * @param operatorFile the operator's {@code --config FILE}, or null
     */
    public static Settings load(Path shipped, Path operatorFile, Map<String, String> env, Properties system) {
        return load(shipped, operatorFile, "--config", env, system);
    }

    /**
     * Loads and validates, the operator's file found as {@code found} says ({@code --config},
     * {@code $CEPH_BACKUP_CONFIG}, the installed file): its errors name it so.
     */
    public static Settings load(Path shipped, Path operatorFile, String found, Map<String, String> env,
            Properties system) {
        Properties shippedProps = read(shipped, "shipped configuration");
        Properties merged = new Properties();
        merged.putAll(shippedProps);
        Properties operatorProps = new Properties();
        if (operatorFile != null) {
            operatorProps = read(operatorFile, found);
            KeyHints.rejectUnknownKeys(operatorProps, "in " + operatorFile);
            merged.putAll(operatorProps);
        }
        KeyHints.rejectUnknownKeys(shippedProps, "in " + shipped);
        KeyHints.rejectUnknownKeys(system, "-D");
        KeyHints.rejectUnknownVariables(env);
        KeyHints.warnNearCamelKeys(merged);
        KeyHints.warnNearCamelKeys(system);

        Settings settings = new Settings(merged);
        settings.files.put(shipped, shippedProps);
        if (operatorFile != null) {
            settings.files.put(operatorFile, operatorProps);
        }
        for (Key<?> key : Keys.ALL) {
            String value;
            String origin;
            if (system.getProperty(key.name()) != null) {
                value = system.getProperty(key.name());
                origin = "-D" + key.name();
            } else if (env.get(key.environmentVariable()) != null) {
                value = env.get(key.environmentVariable());
                origin = "environment " + key.environmentVariable();
            } else if (operatorProps.getProperty(key.name()) != null) {
                value = operatorProps.getProperty(key.name());
                origin = operatorFile.toString();
            } else if (shippedProps.getProperty(key.name()) != null) {
                value = shippedProps.getProperty(key.name());
                origin = shipped.toString();
            } else {
                throw new ConfigException(key.name(), key.name() + " is missing: set it in " + shipped
                        + " or in the operator's file (" + key.description() + ")");
            }
            settings.put(key, value, origin);
        }
        Rules.check(settings);
        return settings;
    }

    /**
     * One key's value, read with the usual precedence from a configuration that may be invalid as a whole
     * (to report the failure where the operator watches: the failure ping, the metrics file); empty when
     * this key itself is missing or invalid.
     */
    public static <T> Optional<T> peek(Key<T> key, Path shipped, Path operatorFile, Map<String, String> env,
            Properties system) {
        try {
            String value = system.getProperty(key.name());
            if (value == null) {
                value = env.get(key.environmentVariable());
            }
            if (value == null && operatorFile != null) {
                value = read(operatorFile, "the operator's file").getProperty(key.name());
            }
            if (value == null) {
                value = read(shipped, "shipped configuration").getProperty(key.name());
            }
            return value == null ? Optional.empty() : Optional.ofNullable(key.parse(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private <T> void put(Key<T> key, String value, String origin) {
        try {
            values.put(key, key.parse(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name(),
                    key.name() + " = '" + value + "' (from " + origin + "): " + e.getMessage());
        }
        raw.put(key, value.strip());
        origins.put(key, origin);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) values.get(key);
    }

    /** Where a key's effective value came from: a file, an environment variable or -D. */
    public String origin(Key<?> key) {
        return origins.get(key);
    }

    /**
     * Every key of the shipped file, this product's and Camel's, with its effective value and where it came
     * from ({@code bin/backup config}).
     */
    public List<String[]> effective() {
        List<String[]> rows = new ArrayList<>();
        for (Key<?> key : Keys.SHIPPED) {
            if (key.own()) {
                rows.add(new String[] {key.name(), raw.get(key), origins.get(key)});
                continue;
            }
            String value = null;
            String origin = null;
            for (Map.Entry<Path, Properties> f : files.entrySet()) {
                if (f.getValue().getProperty(key.name()) != null) {
                    value = f.getValue().getProperty(key.name());
                    origin = f.getKey().toString();
                }
            }
            rows.add(new String[] {key.name(), value == null ? "" : value.strip(), origin == null ? "(Camel's default)"
                    : origin});
        }
        return rows;
    }

    /** Every key with its effective value and origin, for the start-up facts of the log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Key<?> key : Keys.ALL) {
            lines.add(key.name() + " = " + raw.get(key) + "  (" + origins.get(key) + ")");
        }
        return lines;
    }

    /**
     * The properties Camel sees: every key of the files (Camel's own {@code camel.*} keys among them),
     * with this product's keys replaced by their effective, validated values. Durations reach Camel
     * in milliseconds, the unit of its redelivery delays.
     */
    public Properties camelProperties() {
        Properties p = new Properties();
        p.putAll(fileProperties);
        for (Key<?> key : Keys.ALL) {
            Object v = values.get(key);
            p.setProperty(key.name(), v instanceof Duration d ? Long.toString(d.toMillis()) : raw.get(key));
        }
        return p;
    }

    private static Properties read(Path file, String what) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(what, what + ": cannot read " + file + ": " + describe(e));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what, what + ": " + file + " is not a valid properties file: " + e.getMessage());
        }
        return p;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * The path with symbolic links of its existing part resolved, so that a link cannot hide an overlap
     * (the backup side only: a stat on a hung network mount would hang the start).
     */
    public static Path resolvedPath(Path p) {
        return Rules.resolved(p);
    }
}
