package org.idream.backup.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.idream.backup.config.Cluster;
import org.slf4j.LoggerFactory;

/**
 * What the hosts of a fleet share, on the coordination engine: who is up (the engine's own liveness: a
 * ZooKeeper session, a lock held on the lock directory), the leases (at most one host holds a directory's
 * lease at a time: the host that syncs it), and small records (each host's card, each directory's last run)
 * that the hosts and {@code bin/backup fleet} read.
 */
public interface FleetStore extends AutoCloseable {

    /** Told when this host gains or loses a lease (on the engine's threads or the caller's). */
    interface LeaseListener {
        void leadership(String namespace, boolean held);
    }

    /** The store of a cluster; nothing is contacted before {@link #open()}. */
    static FleetStore of(Cluster cluster, Duration lease) {
        return switch (cluster.engine()) {
            case Cluster.FILE -> new FileStore(cluster.directory(), lease);
            case Cluster.ZOOKEEPER -> new ZooKeeperStore(cluster.connect(), lease);
            default -> throw new IllegalArgumentException("no cluster");
        };
    }

    /** Connects; throws {@link FleetUnavailable} naming what is missing. Enough to read the fleet. */
    void open();

    /** True while the engine can be used (ZooKeeper connected; the lock directory there). */
    boolean connected();

    /**
     * This host joins: it is up for the others from now on; the leases it then asks for ({@link #want}) are
     * reported to {@code listener}. Throws {@link FleetUnavailable} when it cannot.
     */
    void join(String nodeId, CamelContext camel, LeaseListener listener);

    /** Asks for a lease: held at once when it is free, else as soon as its holder lets go. */
    void want(String namespace);

    /** Gives a lease back, or stops asking for it. */
    void release(String namespace);

    /** True while this host holds the lease. */
    boolean holds(String namespace);

    /** A reason this host must not hold leases now (hosts of an older version in the fleet), if any. */
    default Optional<String> conflict() {
        return Optional.empty();
    }

    /** The node ids of the hosts that are up now, as the engine sees them. */
    Set<String> members();

    /** Writes (replaces) one record. */
    void put(String name, byte[] data);

    /** One record, if there is one. */
    Optional<byte[]> get(String name);

    /** The records whose names start with {@code prefix}, by name. */
    Map<String, byte[]> records(String prefix);

    /** Where the engine is, for log lines: zookeeper:host:port or file:/dir. */
    String describe();

    /** Stops an engine's cluster service, if there is one; a failure to stop only at DEBUG (the host leaves anyway). */
    static void stop(Service service) {
        if (service != null) {
            try {
                service.stop();
            } catch (Exception e) {
                LoggerFactory.getLogger("backup").debug("stopping the cluster service", e);
            }
        }
    }

    /** Leaves (every lease released) and closes. */
    @Override
    void close();

    /** The engine cannot be reached, or its lock directory is not there. */
    final class FleetUnavailable extends RuntimeException {
        public FleetUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
