package org.idream.backup.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The rules between keys, checked once every key is valid alone: nothing backed up into itself, nothing
 * written where it would be synced over, no source twice or inside another, a fleet's keys that agree.
 */
final class Rules {
    private static final List<Path> SYSTEM_TREES = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private Rules() {
    }

    /** Checks the rules between the keys of {@code s}; throws {@link ConfigException} naming the key. */
    static void check(Settings s) {
        List<Path> sources = s.get(Keys.SOURCES);
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
            s.get(Keys.CEPH_MOUNT_POINT).ifPresent(mount -> {
                if (!source.startsWith(mount)) {
                    throw new ConfigException(sourcesKey, sourcesKey + ": '" + source + "' is not under "
                            + Keys.CEPH_MOUNT_POINT.name() + " = '" + mount + "' (leave " + Keys.CEPH_MOUNT_POINT.name()
                            + " empty for sources that are not on Ceph)");
                }
            });
        }

        for (Path preferred : s.get(Keys.CLUSTER_PREFER)) {
            if (!sources.contains(preferred)) {
                throw new ConfigException(Keys.CLUSTER_PREFER.name(), Keys.CLUSTER_PREFER.name() + ": '" + preferred
                        + "' is not one of " + sourcesKey);
            }
        }
        if (!s.get(Keys.CLUSTER_PREFER).isEmpty() && s.get(Keys.CLUSTER).none()) {
            throw new ConfigException(Keys.CLUSTER_PREFER.name(), Keys.CLUSTER_PREFER.name() + " is set but "
                    + Keys.CLUSTER.name() + " = none");
        }
        s.get(Keys.CLUSTER_FAILOVER_AFTER).ifPresent(d -> {
            if (d.compareTo(Duration.ofSeconds(20)) < 0) {
                throw new ConfigException(Keys.CLUSTER_FAILOVER_AFTER.name(), Keys.CLUSTER_FAILOVER_AFTER.name()
                        + " = " + d.toSeconds() + "s is shorter than 20s (the engines need a few heartbeats)");
            }
        });
        if (s.get(Keys.CLUSTER).engine().equals(Cluster.FILE)) {
            Path lockDir = s.get(Keys.CLUSTER).directory();
            for (Path source : sources) {
                if (lockDir.startsWith(source)) {
                    throw new ConfigException(Keys.CLUSTER.name(), Keys.CLUSTER.name() + " = file:" + lockDir
                            + " is inside the source '" + source + "' (its lock files would be backed up)");
                }
            }
        }

        Path mainRoot = resolved(s.get(Keys.MAIN_ROOT));
        Path deletedRoot = resolved(s.get(Keys.DELETED_ROOT));
        for (Key<Path> key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT, Keys.LOG_DIR, Keys.LOCK_FILE)) {
            Path p = resolved(s.get(key));
            rejectSystemTree(key, p);
            for (Path source : sources) {
                if (p.startsWith(source)) {
                    throw new ConfigException(key.name(), key.name() + " = '" + s.get(key)
                            + "' is inside the source '" + source + "'");
                }
                if (source.startsWith(p) && key != Keys.LOCK_FILE) {
                    throw new ConfigException(key.name(), key.name() + " = '" + s.get(key)
                            + "' contains the source '" + source + "'");
                }
            }
        }
        if (deletedRoot.startsWith(mainRoot) || mainRoot.startsWith(deletedRoot)) {
            throw new ConfigException(Keys.DELETED_ROOT.name(), Keys.DELETED_ROOT.name() + " = '"
                    + s.get(Keys.DELETED_ROOT) + "' and " + Keys.MAIN_ROOT.name() + " = '" + s.get(Keys.MAIN_ROOT)
                    + "' must not be inside one another");
        }
        for (Key<Path> key : List.of(Keys.LOG_DIR, Keys.LOCK_FILE)) {
            Path p = resolved(s.get(key));
            for (Key<Path> root : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
                Path r = resolved(s.get(root));
                if (p.startsWith(r) || r.startsWith(p)) {
                    throw new ConfigException(key.name(), key.name() + " = '" + s.get(key) + "' must not be inside "
                            + root.name() + " = '" + s.get(root) + "' or contain it");
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

    /** The path with symbolic links of its existing part resolved, so that a link cannot hide an overlap. */
    static Path resolved(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
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
