package org.idream.backup.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * shipped file) and validated, alone and against each other, before anything is written.
 */
public final class Settings {
    private static final List<Path> SYSTEM_TREES = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

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
        Properties shippedProps = read(shipped, "shipped configuration");
        Properties merged = new Properties();
        merged.putAll(shippedProps);
        Properties operatorProps = new Properties();
        if (operatorFile != null) {
            operatorProps = read(operatorFile, "--config");
            rejectUnknownKeys(operatorProps, operatorFile);
            merged.putAll(operatorProps);
        }
        rejectUnknownKeys(shippedProps, shipped);
        rejectUnknownKeys(system, "-D");
        rejectUnknownVariables(env);
        warnNearCamelKeys(merged);
        warnNearCamelKeys(system);

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
                        + " or in the --config file (" + key.description() + ")");
            }
            settings.put(key, value, origin);
        }
        settings.validateTogether();
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
                value = read(operatorFile, "--config").getProperty(key.name());
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
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * JVM properties of this product that are not keys: where the installation is, and the tests' clock.
     */
    private static final List<String> NOT_KEYS = List.of("backup.home", "backup.clock.offset");

    private static void rejectUnknownKeys(Properties props, Path file) {
        rejectUnknownKeys(props, "in " + file);
    }

    /** An unknown key under this product's prefixes is a typo: refused, with the nearest known key. */
    private static void rejectUnknownKeys(Properties props, String where) {
        for (String name : props.stringPropertyNames()) {
            boolean own = Keys.OWN_PREFIXES.stream().anyMatch(name::startsWith);
            boolean known = Keys.ALL.stream().anyMatch(k -> k.name().equals(name)) || NOT_KEYS.contains(name);
            if (own && !known) {
                throw new ConfigException(name, (where.equals("-D") ? "-D" + name : name + " " + where)
                        + " is not a known key" + nearest(name, Keys.ALL));
            }
        }
    }

    /**
     * An environment variable of this product's (BACKUP_..., CEPH_...) that names no key is a typo:
     * refused. RCLONE_... variables are rclone's own (rclone reads them), so only one that is nearly a
     * key's is refused.
     */
    private static void rejectUnknownVariables(Map<String, String> env) {
        for (String name : env.keySet()) {
            boolean known = Keys.ALL.stream().anyMatch(k -> k.environmentVariable().equals(name));
            if (known) {
                continue;
            }
            String hint = Keys.ALL.stream().filter(k -> distance(k.environmentVariable(), name) <= 2).findFirst()
                    .map(k -> " (did you mean " + k.environmentVariable() + ", for " + k.name() + "?)").orElse("");
            if (name.startsWith("BACKUP_") && !name.equals("BACKUP_HOME") || name.startsWith("CEPH_")
                    || name.startsWith("RCLONE_") && !hint.isEmpty()) {
                throw new ConfigException(name, "environment " + name + " is not a known key's variable"
                        + (hint.isEmpty() ? " (upper case, '.' and '-' as '_': BACKUP_PARALLELISM for "
                                + "backup.parallelism)" : hint));
            }
        }
    }

    /** A camel.* key that is nearly one this product ships: a WARNING naming it (Camel has many keys of its own). */
    private static void warnNearCamelKeys(Properties props) {
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("camel.") || Keys.SHIPPED.stream().anyMatch(k -> k.name().equals(name))) {
                continue;
            }
            String hint = nearest(name, Keys.SHIPPED.stream().filter(k -> !k.own()).toList());
            if (!hint.isEmpty()) {
                org.slf4j.LoggerFactory.getLogger("backup").warn("{} is not a key this product ships{}: passed to "
                        + "Camel as it is", name, hint);
            }
        }
    }

    private static String nearest(String name, List<? extends Key<?>> keys) {
        return keys.stream().map(Key::name).filter(k -> distance(k, name) <= 3).findFirst()
                .map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Rules between keys: nothing backed up into itself, nothing written where it would be synced over. */
    private void validateTogether() {
        List<Path> sources = get(Keys.SOURCES);
        String sourcesKey = Keys.SOURCES.name();
        for (int i = 0; i < sources.size(); i++) {
            for (int j = 0; j < sources.size(); j++) {
                Path a = sources.get(i);
                Path b = sources.get(j);
                if (i < j && a.equals(b)) {
                    throw new ConfigException(sourcesKey, sourcesKey + ": '" + a + "' is listed twice");
                }
                if (i != j && !a.equals(b) && a.startsWith(b)) {
                    throw new ConfigException(sourcesKey,
                            sourcesKey + ": '" + a + "' is inside another source '" + b + "'");
                }
            }
        }
        for (Path source : sources) {
            rejectSystemTree(Keys.SOURCES, source);
            get(Keys.CEPH_MOUNT_POINT).ifPresent(mount -> {
                if (!source.startsWith(mount)) {
                    throw new ConfigException(sourcesKey, sourcesKey + ": '" + source + "' is not under "
                            + Keys.CEPH_MOUNT_POINT.name() + " = '" + mount + "' (leave " + Keys.CEPH_MOUNT_POINT.name()
                            + " empty for sources that are not on Ceph)");
                }
            });
        }

        for (Path preferred : get(Keys.CLUSTER_PREFER)) {
            if (!sources.contains(preferred)) {
                throw new ConfigException(Keys.CLUSTER_PREFER.name(), Keys.CLUSTER_PREFER.name() + ": '" + preferred
                        + "' is not one of " + sourcesKey);
            }
        }
        if (!get(Keys.CLUSTER_PREFER).isEmpty() && get(Keys.CLUSTER).none()) {
            throw new ConfigException(Keys.CLUSTER_PREFER.name(), Keys.CLUSTER_PREFER.name() + " is set but "
                    + Keys.CLUSTER.name() + " = none");
        }
        get(Keys.CLUSTER_FAILOVER_AFTER).ifPresent(d -> {
            if (d.compareTo(Duration.ofSeconds(20)) < 0) {
                throw new ConfigException(Keys.CLUSTER_FAILOVER_AFTER.name(), Keys.CLUSTER_FAILOVER_AFTER.name()
                        + " = " + d.toSeconds() + "s is shorter than 20s (the engines need a few heartbeats)");
            }
        });
        if (get(Keys.CLUSTER).engine().equals(Cluster.FILE)) {
            Path lockDir = get(Keys.CLUSTER).directory();
            for (Path source : sources) {
                if (lockDir.startsWith(source)) {
                    throw new ConfigException(Keys.CLUSTER.name(), Keys.CLUSTER.name() + " = file:" + lockDir
                            + " is inside the source '" + source + "' (its lock files would be backed up)");
                }
            }
        }

        Path mainRoot = resolved(get(Keys.MAIN_ROOT));
        Path deletedRoot = resolved(get(Keys.DELETED_ROOT));
        for (Key<Path> key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT, Keys.LOG_DIR, Keys.LOCK_FILE)) {
            Path p = resolved(get(key));
            rejectSystemTree(key, p);
            for (Path source : sources) {
                if (p.startsWith(source)) {
                    throw new ConfigException(key.name(), key.name() + " = '" + get(key)
                            + "' is inside the source '" + source + "'");
                }
                if (source.startsWith(p) && key != Keys.LOCK_FILE) {
                    throw new ConfigException(key.name(), key.name() + " = '" + get(key)
                            + "' contains the source '" + source + "'");
                }
            }
        }
        if (deletedRoot.startsWith(mainRoot) || mainRoot.startsWith(deletedRoot)) {
            throw new ConfigException(Keys.DELETED_ROOT.name(), Keys.DELETED_ROOT.name() + " = '"
                    + get(Keys.DELETED_ROOT) + "' and " + Keys.MAIN_ROOT.name() + " = '" + get(Keys.MAIN_ROOT)
                    + "' must not be inside one another");
        }
        for (Key<Path> key : List.of(Keys.LOG_DIR, Keys.LOCK_FILE)) {
            Path p = resolved(get(key));
            for (Key<Path> root : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
                Path r = resolved(get(root));
                if (p.startsWith(r) || r.startsWith(p)) {
                    throw new ConfigException(key.name(), key.name() + " = '" + get(key) + "' must not be inside "
                            + root.name() + " = '" + get(root) + "' or contain it");
                }
            }
        }
    }

    private static void rejectSystemTree(Key<?> key, Path p) {
        for (Path system : SYSTEM_TREES) {
            if (p.startsWith(system)) {
                throw new ConfigException(key.name(), key.name() + ": '" + p + "' points into " + system);
            }
        }
    }

    /**
     * The path with symbolic links of its existing part resolved, so that a link cannot hide an
     * overlap. Only used for the backup side (local disk); sources are compared as written, because a
     * stat on a hung network mount would hang the start.
     */
    public static Path resolvedPath(Path p) {
        return resolved(p);
    }

    static Path resolved(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            return p;
        }
    }
}
