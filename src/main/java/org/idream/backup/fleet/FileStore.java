package org.idream.backup.fleet;

import org.idream.backup.outcome.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet on a lock directory every host mounts (on the CephFS itself: a lock taken through one
 * ceph-fuse client is refused through another). Camel's {@link FileLockClusterService}: a namespace is a
 * file, its leader the host holding a write lock on it and refreshing a heartbeat beside it; a lease is the
 * leadership of a directory's namespace (a scheduled task each, on a few threads). A host is up while it
 * holds the lock of its own {@code node-<id>} file; the records are JSON files in {@code records/}. The
 * directory must exist: nothing is created where a mount is missing.
 */
final class FileStore implements FleetStore {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final String NODE = "node-";
    private final Path root;
    private final long intervalSeconds;
    private final Map<String, CamelClusterView> views = new ConcurrentHashMap<>();
    private volatile String self;
    private volatile FileLockClusterService service;
    private volatile LeaseListener listener;

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
            throw new FleetUnavailable("cannot write in the cluster's lock directory " + root + ": " + Failures.plain(e), e);
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
            throw new FleetUnavailable("cannot list the cluster's lock directory " + root + ": " + Failures.plain(e), e);
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
    public Optional<byte[]> get(String name) {
        try {
            return Optional.of(Files.readAllBytes(root.resolve("records").resolve(name + ".json")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the cluster record " + name + " in " + root, e);
        }
    }

    @Override
    public Map<String, byte[]> records(String prefix) {
        Map<String, byte[]> all = new TreeMap<>();
        Path dir = root.resolve("records");
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && name.startsWith(prefix) && !name.startsWith(".")) {
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
    public synchronized void join(String nodeId, CamelContext camel, LeaseListener leases) {
        self = nodeId;
        listener = leases;
        // the service schedules one task per lease on a pool of Camel's default profile, whose queue holds
        // 1 000: room for every directory (found at 1 000 directories)
        var profile = camel.getExecutorServiceManager().getDefaultThreadPoolProfile();
        if (profile.getMaxQueueSize() != null && profile.getMaxQueueSize() >= 0 && profile.getMaxQueueSize() < 100_000) {
            profile.setMaxQueueSize(100_000);
        }
        FileLockClusterService s = new FileLockClusterService();
        s.setId(nodeId);
        s.setRoot(root.toString());
        s.setAcquireLockDelay(1, TimeUnit.SECONDS);
        s.setAcquireLockInterval(intervalSeconds, TimeUnit.SECONDS);
        s.setHeartbeatTimeoutMultiplier(5);
        s.setCamelContext(camel);
        try {
            s.start();
            s.getView(NODE + nodeId);   // this host's own lock: up while held
        } catch (Exception e) {
            throw new FleetUnavailable("cannot join the fleet in " + root + ": " + Failures.plain(e), e);
        }
        service = s;
    }

    @Override
    public void want(String namespace) {
        views.computeIfAbsent(namespace, ns -> {
            try {
                CamelClusterView view = service.getView(ns);
                view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                        listener.leadership(ns, leader != null && leader.isLocal()));
                return view;
            } catch (Exception e) {
                throw new IllegalStateException("cluster: cannot ask for the lease " + ns + ": " + Failures.plain(e), e);
            }
        });
    }

    @Override
    public void release(String namespace) {
        CamelClusterView view = views.remove(namespace);
        if (view != null) {
            try {
                service.releaseView(view);
            } catch (Exception e) {
                LOG.debug("releasing the lease {}", namespace, e);
            }
        }
    }

    @Override
    public boolean holds(String namespace) {
        CamelClusterView view = views.get(namespace);
        return view != null && view.getLocalMember().isLeader();
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public synchronized void close() {
        for (String ns : List.copyOf(views.keySet())) {
            release(ns);
        }
        FleetStore.stop(service);
        service = null;
    }
}
