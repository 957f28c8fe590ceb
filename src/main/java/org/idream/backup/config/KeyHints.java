package org.idream.backup.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typos in the configuration: a key of this product's that names no key (in a file, as {@code -D}, as an
 * environment variable) is refused with the nearest known one; a {@code camel.*} key near one this product
 * ships is a WARNING (Camel has many keys of its own).
 */
final class KeyHints {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    /** Names the operator's file when {@code --config} does not (not a key's variable). */
    private static final String CONFIG_VARIABLE = "CEPH_BACKUP_CONFIG";
    /** Camel Main's own keys ({@code camel.main.*}, {@code camel.server.*}, ...), from its catalog in camel-main's jar. */
    private static final String CAMEL_CATALOG = "META-INF/camel-main-configuration-metadata.json";

    private KeyHints() {
    }

    /**
     * JVM properties of this product that are not keys: where the installation is, how the launcher was invoked,
     * and the tests' clock.
     */
    private static final List<String> NOT_KEYS = List.of("backup.home", Invocation.PROPERTY, "backup.clock.offset");

    /** An unknown key under this product's prefixes is a typo: refused, with the nearest known key. */
    static void rejectUnknownKeys(Properties props, String where) {
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
    static void rejectUnknownVariables(Map<String, String> env) {
        for (String name : env.keySet()) {
            boolean known = Keys.ALL.stream().anyMatch(k -> k.environmentVariable().equals(name))
                    || name.equals(CONFIG_VARIABLE);
            if (known) {
                continue;
            }
            String hint = Keys.ALL.stream().filter(k -> distance(k.environmentVariable(), name) <= 2)
                    .min(Comparator.comparingInt(k -> distance(k.environmentVariable(), name)))
                    .map(k -> " (did you mean " + k.environmentVariable() + ", for " + k.name() + "?)").orElse("");
            if (name.startsWith("BACKUP_") && !name.equals("BACKUP_HOME") || name.startsWith("CEPH_")
                    || name.startsWith("RCLONE_") && !hint.isEmpty()) {
                throw new ConfigException(name, "environment " + name + " is not a known key's variable"
                        + (hint.isEmpty() ? " (upper case, '.' and '-' as '_': "
                                + Keys.PARALLELISM.environmentVariable() + " for " + Keys.PARALLELISM.name() + ")" : hint));
            }
        }
    }

    /**
     * A camel.* key that is neither one this product ships nor one of Camel Main's own but nearly one of them: a
     * WARNING naming the nearest (Camel has many keys of its own, and components' keys this catalog does not hold).
     */
    static void warnNearCamelKeys(Properties props) {
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("camel.") || Keys.SHIPPED.stream().anyMatch(k -> k.name().equals(name))
                    || camelKeys().contains(kebab(name))) {
                continue;
            }
            List<String> known = new ArrayList<>(Keys.SHIPPED.stream().filter(k -> !k.own()).map(Key::name).toList());
            known.addAll(camelKeys());
            String hint = nearest(name, known);
            if (!hint.isEmpty()) {
                LOG.warn("{} is not a key this product ships{}: passed to "
                        + "Camel as it is", name, hint);
            }
        }
    }

    private static String nearest(String name, List<? extends Key<?>> keys) {
        return nearest(name, keys.stream().map(Key::name).toList());
    }

    /** The known name nearest to {@code name} by edit distance over the whole name, if within 3 edits. */
    static String nearest(String name, Collection<String> known) {
        return known.stream().filter(k -> distance(k, name) <= 3)
                .min(Comparator.comparingInt((String k) -> distance(k, name)).thenComparing(k -> k))
                .map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private static volatile Set<String> camelKeys;

    /** A key as this product spells Camel's ({@code camel.management.health-check-enabled}; Camel reads both forms). */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Camel Main's keys (in {@link #kebab} form), read once from its catalog; none when the catalog cannot be read. */
    static Set<String> camelKeys() {
        Set<String> keys = camelKeys;
        if (keys == null) {
            keys = new HashSet<>();
            try (InputStream in = KeyHints.class.getClassLoader().getResourceAsStream(CAMEL_CATALOG)) {
                if (in != null) {
                    for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
                        keys.add(kebab(p.path("name").asText()));
                    }
                }
            } catch (IOException e) {
                LOG.debug("Camel's catalog of keys cannot be read", e);
            }
            camelKeys = keys = Set.copyOf(keys);
        }
        return keys;
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
}
