package org.idream.backup.config;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typos in the configuration: a key of this product's that names no key (in a file, as {@code -D}, as an
 * environment variable) is refused with the nearest known one; a {@code camel.*} key near one this product
 * ships is a WARNING (Camel has many keys of its own).
 */
final class KeyHints {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private KeyHints() {
    }

    /**
     * JVM properties of this product that are not keys: where the installation is, and the tests' clock.
     */
    private static final List<String> NOT_KEYS = List.of("backup.home", "backup.clock.offset");

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
            boolean known = Keys.ALL.stream().anyMatch(k -> k.environmentVariable().equals(name));
            if (known) {
                continue;
            }
            String hint = Keys.ALL.stream().filter(k -> distance(k.environmentVariable(), name) <= 2).findFirst()
                    .map(k -> " (did you mean " + k.environmentVariable() + ", for " + k.name() + "?)").orElse("");
            if (name.startsWith("BACKUP_") && !name.equals("BACKUP_HOME") || name.startsWith("CEPH_")
                    || name.startsWith("RCLONE_") && !hint.isEmpty()) {
                throw new ConfigException(name, "environment " + name + " is not a known key's variable"
                        + (hint.isEmpty() ? " (upper case, '.' and '-' as '_': "
                                + Keys.PARALLELISM.environmentVariable() + " for " + Keys.PARALLELISM.name() + ")" : hint));
            }
        }
    }

    /** A camel.* key that is nearly one this product ships: a WARNING naming it (Camel has many keys of its own). */
    static void warnNearCamelKeys(Properties props) {
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("camel.") || Keys.SHIPPED.stream().anyMatch(k -> k.name().equals(name))) {
                continue;
            }
            String hint = nearest(name, Keys.SHIPPED.stream().filter(k -> !k.own()).toList());
            if (!hint.isEmpty()) {
                LOG.warn("{} is not a key this product ships{}: passed to "
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
}
