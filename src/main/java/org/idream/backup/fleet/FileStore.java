package org.idream.backup.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * The fleet on a lock directory every host mounts (on the CephFS itself: a lock taken through one
 * ceph-fuse client is refused through another). Camel's {@link FileLockClusterService}: a namespace is a
 * file, its leader the host holding a write lock on it and refreshing a heartbeat beside it. A host is up
 * while it holds the lock of its own {@code node-<id>} file; the records are JSON files in
 * {@code records/}. The directory must exist: nothing is created where a mount is missing.
 */
final class FileStore implements FleetStore {
    private static final String NODE = "node-";
    private final Path root;
    private final long intervalSeconds;
    private String self;

    FileStore(Path root, Duration lease) {
        this.root = root;
        // the leader refreshes its heartbeat every interval; 5 missed heartbeats and it counts as gone
        this.intervalSeconds = Math.max(1, Math.min(10, lease.toSeconds() / 10));
    }

    @Override
    public void open() {
        if (!Files.isDirectory(root)) {
            throw new FleetUnavailable("the cluster's lock directory " + root + " does not exist (is its file system "
                    + "mounted? create it once on the shared file system)", null);
        }
        try {
            Files.createDirectories(root.resolve("records"));
        } catch (IOException e) {
            throw new FleetUnavailable("cannot write in the cluster's lock directory " + root + ": " + e, e);
        }
    }

    @Override
    public boolean connected() {
        return Files.isDirectory(root.resolve("records"));
    }

    @Override
    public Set<String> members() {
        Set<String> up = new HashSet<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(NODE) || name.endsWith(".dat") || !Files.isRegularFile(f)) {
                    continue;
                }
                String id = name.substring(NODE.length());
                if (id.equals(self) || held(f)) {
                    up.add(id);
                }
            }
        } catch (IOException e) {
            throw new FleetUnavailable("cannot list the cluster's lock directory " + root + ": " + e, e);
        }
        return up;
    }

    /** True when another process holds the lock of this file (its host is up); never called on our own. */
    private static boolean held(Path lockFile) {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock(0, Math.max(1, ch.size()), false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void put(String name, byte[] data) {
        Path dir = root.resolve("records");
        try {
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.write(tmp, data);
            Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the cluster record " + name + " in " + dir, e);
        }
    }

    @Override
    public Map<String, byte[]> records() {
        Map<String, byte[]> all = new TreeMap<>();
        Path dir = root.resolve("records");
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && !name.startsWith(".")) {
                    try {
                        all.put(name.substring(0, name.length() - ".json".length()), Files.readAllBytes(f));
                    } catch (IOException e) {
                        // replaced while read: the next look sees it
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the cluster records in " + dir, e);
        }
        return all;
    }

    @Override
    public CamelClusterService service(String nodeId) {
        self = nodeId;
        FileLockClusterService service = new FileLockClusterService();
        service.setId(nodeId);
        service.setRoot(root.toString());
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(intervalSeconds, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(5);
        return service;
    }

    @Override
    public String memberNamespace(String nodeId) {
        return NODE + nodeId;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public void close() {
        // nothing held outside the cluster service
    }
}
