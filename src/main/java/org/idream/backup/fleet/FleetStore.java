package org.idream.backup.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.camel.cluster.CamelClusterService;
import org.idream.backup.config.Cluster;

/**
 * What the hosts of a fleet share, on the coordination engine: who is up (the engine's own liveness: a
 * ZooKeeper session, a lock held on the lock directory), the engine's cluster service (Camel's
 * {@link CamelClusterService}: one leader per namespace, the lease a host holds while it syncs a
 * directory), and small records (each host's preferences, each directory's last run) that the hosts and
 * {@code bin/backup fleet} read.
 */
public interface FleetStore extends AutoCloseable {

    /** The store of a cluster; nothing is contacted before {@link #open()}. */
    static FleetStore of(Cluster cluster, Duration lease) {
        return switch (cluster.engine()) {
            case Cluster.FILE -> new FileStore(cluster.directory(), lease);
            case Cluster.ZOOKEEPER -> new ZooKeeperStore(cluster.connect(), lease);
            default -> throw new IllegalArgumentException("no cluster");
        };
    }

    /** Connects; throws {@link FleetUnavailable} naming what is missing. */
    void open();

    /** True while the engine can be used (ZooKeeper connected; the lock directory there). */
    boolean connected();

    /** What to do when the engine comes back after being out of reach (rejoin every election). */
    default void onReconnect(Runnable action) {
    }

    /** The node ids of the hosts that are up now, as the engine sees them. */
    Set<String> members();

    /** Writes (replaces) one record. */
    void put(String name, byte[] data);

    /** Every record, by name. */
    Map<String, byte[]> records();

    /** The engine's cluster service for this node (not started). */
    CamelClusterService service(String nodeId);

    /** The namespace every member of the fleet joins, by which {@link #members()} sees it. */
    String memberNamespace(String nodeId);

    /** Where the engine is, for log lines: zookeeper:host:port or file:/dir. */
    String describe();

    @Override
    void close();

    /** The engine cannot be reached, or its lock directory is not there. */
    final class FleetUnavailable extends RuntimeException {
        public FleetUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
