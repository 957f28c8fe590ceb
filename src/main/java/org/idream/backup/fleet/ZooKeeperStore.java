package org.idream.backup.fleet;

import org.idream.backup.outcome.Failures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet on ZooKeeper, under {@value #BASE}. A host is up while its session holds its place in the
 * {@value #FLEET} election (Camel's {@link ZooKeeperClusterService}, Curator's leader election). A lease is an
 * ephemeral node {@value #BASE}/leases/NAMESPACE holding the node id of its host: created when it is free,
 * gone with its host's session or when the host lets go; a host that wants a lease held by another watches
 * the node and takes it when it goes. One client, one thread for the leases' events, whatever the number of
 * directories (an election per lease, as Camel's service holds it, costs a thread each: 955 threads and 51 s
 * to claim 1 000 directories, docs/BENCHMARKS.md). The records are persistent nodes under
 * {@value #BASE}/records.
 */
final class ZooKeeperStore implements FleetStore {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    static final String BASE = "/ceph-backup";
    static final String FLEET = "fleet";
    private static final String LEASES = BASE + "/leases";
    private static final String RECORDS = BASE + "/records";
    /** The namespaces of the leases of hosts of an older version (an election each): {@code BASE/dir-...}. */
    private static final String OLD_LEASE = "dir-";
    private final String connect;
    private final int sessionMs;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private volatile CuratorFramework client;
    private volatile ZooKeeperClusterService service;
    private volatile CamelClusterView memberView;
    private volatile ExecutorService events;
    private volatile LeaseListener listener;
    private volatile byte[] self;

    ZooKeeperStore(String connect, Duration lease) {
        this.connect = connect;
        // the server grants at most 20 ticks (40 s with Debian's tickTime=2000)
        this.sessionMs = (int) Math.max(4_000, Math.min(30_000, lease.toMillis()));
    }

    @Override
    public synchronized void open() {
        if (client != null) {
            return;
        }
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(500, 3, 2_000)).build();
        c.start();
        try {
            if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
                c.close();
                throw new FleetUnavailable("cannot reach ZooKeeper at " + connect + " (15 s)", null);
            }
        } catch (InterruptedException e) {
            c.close();
            Thread.currentThread().interrupt();
            throw new FleetUnavailable("interrupted while connecting to ZooKeeper at " + connect, e);
        }
        client = c;
    }

    @Override
    public boolean connected() {
        CuratorFramework c = client;
        return c != null && c.getZookeeperClient().isConnected();
    }

    @Override
    public synchronized void join(String nodeId, CamelContext camel, LeaseListener leases) {
        conflict().ifPresent(why -> {
            throw new FleetUnavailable(why, null);
        });
        self = nodeId.getBytes(StandardCharsets.UTF_8);
        listener = leases;
        events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fleet-leases");
            t.setDaemon(true);
            return t;
        });
        ZooKeeperCuratorConfiguration configuration = new ZooKeeperCuratorConfiguration();
        configuration.setNodes(connect);
        ZooKeeperClusterService s = new ZooKeeperClusterService(configuration);
        s.setId(nodeId);
        s.setCuratorFramework(client);
        s.setBasePath(BASE);
        s.setCamelContext(camel);
        try {
            s.start();
            memberView = s.getView(FLEET);
        } catch (Exception e) {
            throw new FleetUnavailable("cannot join the fleet on ZooKeeper at " + connect + ": " + Failures.plain(e), e);
        }
        service = s;
        client.getConnectionStateListenable().addListener((cf, state) -> events.execute(() -> changed(state)));
    }

    /** The connection changed: out of reach, every lease is given up; back, every wanted lease asked for again. */
    private void changed(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                LOG.warn(state == ConnectionState.SUSPENDED ? "cluster: the connection to ZooKeeper at {} is lost: "
                        + "every lease given up (rclone of a directory being synced is stopped)"
                        : "cluster: the ZooKeeper session expired: this host left the fleet until ZooKeeper at {} is "
                        + "back", connect);
                for (String ns : List.copyOf(held)) {
                    lost(ns);
                }
            }
            case RECONNECTED -> {
                LOG.warn("cluster: connected to ZooKeeper at {} again: asking for this host's leases again", connect);
                try {
                    // an election left while out of reach is not entered again by itself
                    service.releaseView(memberView);
                    memberView = service.getView(FLEET);
                } catch (Exception e) {
                    LOG.warn("cluster: entering the fleet's election again failed: {}", e.toString());
                }
                wanted.forEach(this::take);
            }
            default -> { }
        }
    }

    @Override
    public void want(String namespace) {
        wanted.add(namespace);
        take(namespace);
    }

    /** Creates the lease's node; held by another: watches it, to take it when it goes. */
    private void take(String namespace) {
        if (!wanted.contains(namespace) || held.contains(namespace) || !connected()) {
            return;
        }
        String path = LEASES + "/" + namespace;
        try {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, self);
                taken(namespace, path);
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = client.checkExists().usingWatcher(watcher(namespace)).forPath(path);
                if (stat == null) {
                    events.execute(() -> take(namespace));   // gone meanwhile
                } else if (stat.getEphemeralOwner() == session()) {
                    taken(namespace, path);                   // ours still (the session survived an outage)
                }
            }
        } catch (Exception e) {
            LOG.debug("cluster: asking for the lease {}: {}", namespace, e.toString());
        }
    }

    private void taken(String namespace, String path) throws Exception {
        client.checkExists().usingWatcher(watcher(namespace)).forPath(path);
        if (held.add(namespace)) {
            listener.leadership(namespace, true);
        }
    }

    /** One watcher per lease (ZooKeeper keeps a watcher once per node however often it is set). */
    private Watcher watcher(String namespace) {
        return watchers.computeIfAbsent(namespace, ns -> event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                events.execute(() -> {
                    lost(ns);
                    take(ns);
                });
            }
        });
    }

    private void lost(String namespace) {
        if (held.remove(namespace)) {
            listener.leadership(namespace, false);
        }
    }

    @Override
    public void release(String namespace) {
        wanted.remove(namespace);
        if (held.remove(namespace)) {
            deleteIfOurs(LEASES + "/" + namespace);
        }
    }

    private void deleteIfOurs(String path) {
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == session()) {
                client.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (Exception e) {
            LOG.debug("cluster: giving back {}: {}", path, e.toString());
        }
    }

    private long session() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    @Override
    public boolean holds(String namespace) {
        return held.contains(namespace) && connected();
    }

    /** Hosts of an older version hold their leases as elections ({@code BASE/dir-...}, with candidates). */
    @Override
    public Optional<String> conflict() {
        try {
            for (String child : client.getChildren().forPath(BASE)) {
                if (child.startsWith(OLD_LEASE) && !client.getChildren().forPath(BASE + "/" + child).isEmpty()) {
                    return Optional.of("a host of an older version of ceph-backup holds leases in this fleet (its "
                            + "elections under " + BASE + "/" + child + " on ZooKeeper at " + connect + "): stop every "
                            + "host of the fleet, upgrade them all, then start them");
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new FleetUnavailable("cannot read the fleet from ZooKeeper at " + connect + ": " + Failures.plain(e), e);
        }
        return Optional.empty();
    }

    @Override
    public Set<String> members() {
        Set<String> up = new HashSet<>();
        children(BASE + "/" + FLEET, "", "the fleet's members").forEach((child, id) ->
                up.add(new String(id, StandardCharsets.UTF_8)));
        return up;
    }

    /** The data of every child of {@code path} whose name starts with {@code prefix} (none when it does not exist). */
    private Map<String, byte[]> children(String path, String prefix, String what) {
        Map<String, byte[]> all = new TreeMap<>();
        try {
            for (String child : client.getChildren().forPath(path)) {
                if (!child.startsWith(prefix)) {
                    continue;
                }
                try {
                    all.put(child, client.getData().forPath(path + "/" + child));
                } catch (KeeperException.NoNodeException e) {
                    // gone while read (a session that ended, a record replaced)
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return all;
        } catch (Exception e) {
            throw new FleetUnavailable("cannot read " + what + " from ZooKeeper at " + connect + ": " + Failures.plain(e), e);
        }
        return all;
    }

    @Override
    public void put(String name, byte[] data) {
        String path = RECORDS + "/" + name;
        try {
            try {
                client.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException e) {
                client.create().creatingParentsIfNeeded().forPath(path, data);
            }
        } catch (Exception e) {
            throw new FleetUnavailable("cannot write the cluster record " + name + " to ZooKeeper: " + e, e);
        }
    }

    @Override
    public Optional<byte[]> get(String name) {
        try {
            return Optional.of(client.getData().forPath(RECORDS + "/" + name));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new FleetUnavailable("cannot read the cluster record " + name + " from ZooKeeper: " + e, e);
        }
    }

    @Override
    public Map<String, byte[]> records(String prefix) {
        return children(RECORDS, prefix, "the cluster records");
    }

    @Override
    public String describe() {
        return "zookeeper:" + connect;
    }

    @Override
    public synchronized void close() {
        wanted.clear();
        if (client != null) {
            for (String ns : List.copyOf(held)) {
                held.remove(ns);
                deleteIfOurs(LEASES + "/" + ns);
            }
        }
        FleetStore.stop(service);
        service = null;
        if (events != null) {
            events.shutdownNow();
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
