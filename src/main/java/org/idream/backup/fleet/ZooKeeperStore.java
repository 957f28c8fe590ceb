package org.idream.backup.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet on ZooKeeper: Camel's {@link ZooKeeperClusterService} (Curator's leader election: one
 * ephemeral node per candidate, gone with its session), under {@value #BASE}. A host is up while its
 * session holds its place in the {@value #FLEET} election; the records are persistent nodes under
 * {@value #BASE}/records.
 */
final class ZooKeeperStore implements FleetStore {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    static final String BASE = "/ceph-backup";
    static final String FLEET = "fleet";
    private final String connect;
    private final int sessionMs;
    private CuratorFramework client;

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
        c.getConnectionStateListenable().addListener((cf, state) -> {
            switch (state) {
                case SUSPENDED -> LOG.warn("cluster: the connection to ZooKeeper at {} is lost: every lease given up "
                        + "(rclone of a directory being synced is stopped)", connect);
                case LOST -> LOG.warn("cluster: the ZooKeeper session expired: this host left the fleet until ZooKeeper "
                        + "at {} is back", connect);
                case RECONNECTED -> LOG.info("cluster: connected to ZooKeeper at {} again", connect);
                default -> { }
            }
        });
    }

    @Override
    public boolean connected() {
        CuratorFramework c = client;
        return c != null && c.getZookeeperClient().isConnected();
    }

    @Override
    public void onReconnect(Runnable action) {
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.RECONNECTED) {
                action.run();
            }
        });
    }

    @Override
    public Set<String> members() {
        Set<String> up = new HashSet<>();
        children(BASE + "/" + FLEET, "the fleet's members").forEach((child, id) ->
                up.add(new String(id, StandardCharsets.UTF_8)));
        return up;
    }

    /** The data of every child of {@code path}, by name (none when it does not exist yet). */
    private Map<String, byte[]> children(String path, String what) {
        Map<String, byte[]> all = new TreeMap<>();
        try {
            for (String child : client.getChildren().forPath(path)) {
                try {
                    all.put(child, client.getData().forPath(path + "/" + child));
                } catch (KeeperException.NoNodeException e) {
                    // gone while read (a session that ended, a record replaced)
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return all;
        } catch (Exception e) {
            throw new FleetUnavailable("cannot read " + what + " from ZooKeeper at " + connect + ": " + e, e);
        }
        return all;
    }

    @Override
    public void put(String name, byte[] data) {
        String path = BASE + "/records/" + name;
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
    public Map<String, byte[]> records() {
        return children(BASE + "/records", "the cluster records");
    }

    @Override
    public CamelClusterService service(String nodeId) {
        ZooKeeperCuratorConfiguration configuration = new ZooKeeperCuratorConfiguration();
        configuration.setNodes(connect);
        ZooKeeperClusterService service = new ZooKeeperClusterService(configuration);
        service.setId(nodeId);
        service.setCuratorFramework(client);
        service.setBasePath(BASE);
        return service;
    }

    @Override
    public String memberNamespace(String nodeId) {
        return FLEET;
    }

    @Override
    public String describe() {
        return "zookeeper:" + connect;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
