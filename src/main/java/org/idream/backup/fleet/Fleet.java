package org.idream.backup.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.idream.backup.config.Cluster;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.Host;
import org.idream.backup.model.Layout;
import org.idream.backup.model.Schedule;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host in a fleet ({@code backup.cluster}): it joins the engine ({@link FleetStore}), holds the lease of
 * every directory the {@link Assignment} gives it, for as long as it syncs it, and hands back between syncs
 * the directories that belong to another host. It keeps which directories are being synced here: a lease
 * lost during a sync stops that directory's rclone at once. The run's steps are {@link FleetSteps}; the
 * shared records {@link FleetRecords}. With {@code backup.cluster = none} it does nothing.
 */
public final class Fleet implements Service {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private final Cluster cluster;
    private final String nodeId;
    private final List<Path> sources;
    private final List<Path> prefer;
    private final Duration lease;
    private final String schedule;
    private final Path mainRoot;
    private final Map<String, Path> byNamespace = new HashMap<>();
    private final Set<Path> wanted = ConcurrentHashMap.newKeySet();
    private final Map<Path, Thread> busy = new ConcurrentHashMap<>();
    private final Set<Path> lost = ConcurrentHashMap.newKeySet();
    private final Map<Path, Boolean> leading = new ConcurrentHashMap<>();
    private volatile CamelContext camel;
    private volatile FleetStore store;
    private volatile FleetRecords records;
    private volatile String trouble;
    private volatile Set<String> up = Set.of();
    private ScheduledExecutorService watch;

    public Fleet(Settings settings) {
        cluster = settings.get(Keys.CLUSTER);
        nodeId = settings.get(Keys.CLUSTER_NODE_ID).orElseGet(Host::name);
        sources = settings.get(Keys.SOURCES);
        prefer = settings.get(Keys.CLUSTER_PREFER);
        schedule = settings.get(Keys.SCHEDULE);
        lease = settings.get(Keys.CLUSTER_FAILOVER_AFTER).orElseGet(() -> Schedule.period(schedule));
        mainRoot = settings.get(Keys.MAIN_ROOT);
        sources.forEach(s -> byNamespace.put(FleetRecords.namespace(s), s));
    }

    public boolean enabled() {
        return !cluster.none();
    }

    public String nodeId() {
        return nodeId;
    }

    /** Camel's context, which runs the engine's cluster service. */
    public void bind(CamelContext context) {
        this.camel = context;
    }

    @Override
    public void start() {
        // joined on the first claim, or by the daemon at its start (joinNow)
    }

    @Override
    public void stop() {
        leave();
    }

    /** The daemon joins at its start, so that the others see it and hand it its share before the first firing. */
    public void joinNow() {
        if (enabled()) {
            join();
        }
    }

    /** Joins the fleet once; false (with the reason in one WARNING) when the engine cannot be used now. */
    synchronized boolean join() {
        if (store != null) {
            return true;
        }
        FleetStore s = FleetStore.of(cluster, lease);
        try {
            s.open();
            s.join(nodeId, camel, this::leadership);
            FleetRecords r = new FleetRecords(s);
            r.card(new FleetRecords.NodeCard(nodeId, Clocks.clock().instant().toString(),
                    prefer.stream().map(Path::toString).toList()));
            records = r;
            store = s;
            watch = Executors.newSingleThreadScheduledExecutor(t -> {
                Thread w = new Thread(t, "fleet-lease-watch");
                w.setDaemon(true);
                return w;
            });
            watch.scheduleWithFixedDelay(this::watchLeases, 1, 1, TimeUnit.SECONDS);
            if (trouble != null) {
                LOG.info("cluster: {} can be used again", s.describe());
            }
            trouble = null;
            LOG.info("cluster: this host is {} in {} (a silent host loses its directories after at most {}; "
                    + "prefers {})", nodeId, s.describe(), human(lease), prefer.isEmpty() ? "nothing" : prefer);
            return true;
        } catch (RuntimeException e) {
            s.close();
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!why.equals(trouble)) {
                LOG.warn("cluster: cannot join {}: {}; this host syncs nothing until it can", cluster, why);
            }
            trouble = why;
            return false;
        }
    }

    /** Leaves the fleet: every lease released, the engine closed. */
    public synchronized void leave() {
        if (store == null) {
            return;
        }
        watch.shutdownNow();
        wanted.clear();
        leading.clear();
        store.close();
        store = null;
        records = null;
        LOG.info("cluster: {} left {}", nodeId, cluster);
    }

    /** True when this host asks for (or holds) the lease of a directory. */
    boolean wants(Path source) {
        return wanted.contains(source);
    }

    /** True while a directory is being synced on this host. */
    boolean busy(Path source) {
        return busy.containsKey(source);
    }

    /** Gives every lease back (hosts of an older version in the fleet: see {@link FleetStore#conflict()}). */
    void releaseAll() {
        List.copyOf(wanted).forEach(this::release);
    }

    FleetStore store() {
        return store;
    }

    /** What the engine says of the hosts that are up, for the takeover's log line. */
    void up(Set<String> members) {
        up = Set.copyOf(members);
    }

    List<Path> prefer() {
        return prefer;
    }

    Cluster cluster() {
        return cluster;
    }

    void trouble(String why) {
        trouble = why;
    }

    /** True when the engine can be used now (joined, and reachable). */
    boolean usable() {
        return enabled() && join() && store.connected();
    }

    /** Why the engine cannot be used, when it cannot. */
    String trouble() {
        return trouble;
    }

    FleetRecords records() {
        return records;
    }

    /** Asks for the lease of a directory. */
    void acquire(Path source) {
        if (wanted.add(source)) {
            store.want(FleetRecords.namespace(source));
        }
    }

    /** Gives the lease of a directory back, or stops asking for it. */
    void release(Path source) {
        leading.put(source, false);
        if (wanted.remove(source)) {
            store.release(FleetRecords.namespace(source));
        }
    }

    /** The engine says this host gained or lost the lease of a directory. */
    private void leadership(String namespace, boolean held) {
        Path source = byNamespace.get(namespace);
        if (source == null) {
            return;
        }
        Boolean before = leading.put(source, held);
        if (held && !Boolean.TRUE.equals(before)) {
            gained(source);
        } else if (!held && Boolean.TRUE.equals(before)) {
            Thread t = busy.get(source);
            if (t != null) {
                lost.add(source);
                LOG.error("cluster: lost the lease of {} during its sync ({}): stopping its rclone; another host may "
                        + "take it", source, cluster);
                ProcessRunner.stopStartedBy(t);
            } else {
                LOG.info("cluster: this host no longer holds {}", source);
            }
        }
    }

    /** Says from whom this host took a directory over, and records that it holds it now. */
    private void gained(Path source) {
        FleetRecords r = records;
        if (r == null) {
            return;
        }
        try {
            Optional<FleetRecords.DirectoryRecord> record = r.directory(source);
            String previous = record.map(FleetRecords.DirectoryRecord::host).orElse(null);
            if (previous != null && !previous.equals(nodeId) && !up.contains(previous)) {
                LOG.warn("cluster: took over {} from {}, which is gone (its last run there: {}, {})", source, previous,
                        Optional.ofNullable(record.get().lastRun()).orElse("none"),
                        record.get().outcome() == null ? "unknown" : record.get().outcome().id());
            } else if (previous != null && !previous.equals(nodeId)) {
                LOG.info("cluster: took over {} from {}, which handed it over", source, previous);
            } else {
                LOG.info("cluster: this host holds {}", source);
            }
            if (!Files.isDirectory(Layout.mirror(mainRoot, source))) {
                LOG.info("cluster: {} has no mirror on this host: its first sync here is a full one", source);
            }
            r.publish(source, d -> d.held(nodeId, Clocks.clock().instant().toString()));
        } catch (RuntimeException e) {
            LOG.warn("cluster: cannot record that this host holds {}: {}", source, e.getMessage());
        }
    }

    /** Every second: a directory being synced whose lease is gone, whatever the engine's events said. */
    private void watchLeases() {
        for (Path source : List.copyOf(busy.keySet())) {
            if (!lost.contains(source) && !leads(source)) {
                leading.put(source, true);
                leadership(FleetRecords.namespace(source), false);
            }
        }
    }

    /** True while this host holds the lease of a directory. */
    boolean leads(Path source) {
        FleetStore s = store;
        return s != null && wanted.contains(source) && s.holds(FleetRecords.namespace(source));
    }

    /** How long a claim waits for a lease it asked for with none coming: a few of the engine's lock intervals. */
    Duration acquireWait() {
        return cluster.engine().equals(Cluster.FILE) ? Duration.ofSeconds(Math.max(12, Math.min(60, lease.toSeconds() / 3)))
                : Duration.ofSeconds(10);
    }

    /** A directory's sync begins on this thread. */
    void syncing(Path source) {
        busy.put(source, Thread.currentThread());
        if (!leads(source)) {
            lost.add(source);
        }
    }

    /** The directory's lease was held all along its sync so far. */
    boolean heldThroughout(Path source) {
        return !lost.contains(source) && leads(source);
    }

    /** A claim found the directory's lease held: whatever was lost before is over. */
    void claimed(Path source) {
        lost.remove(source);
    }

    void synced(Path source) {
        busy.remove(source);
    }

    /** The next firing of the schedule, for the records. */
    String nextFiring() {
        return Schedule.nextFiring(schedule).map(Instant::toString).orElse("");
    }

    List<Path> sources() {
        return sources;
    }

    Set<String> up() {
        return up;
    }

    @Override
    public String toString() {
        return cluster.toString();
    }

    /** For the health check: whether this host is in the cluster, and which directories it holds; none without one. */
    public Optional<FleetHealth> health() {
        if (!enabled()) {
            return Optional.empty();
        }
        FleetStore s = store;
        List<String> holds = new ArrayList<>();
        sources.stream().filter(this::leads).forEach(p -> holds.add(p.toString()));
        return Optional.of(new FleetHealth(cluster.toString(), nodeId, s != null && trouble == null && s.connected(),
                trouble, holds));
    }

    static String human(Duration d) {
        return d.toSeconds() % 86400 == 0 ? d.toDays() + "d" : d.toSeconds() % 3600 == 0 ? d.toHours() + "h"
                : d.toSeconds() + "s";
    }
}
