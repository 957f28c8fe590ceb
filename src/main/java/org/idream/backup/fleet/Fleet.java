package org.idream.backup.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.idream.backup.config.Cluster;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.process.ProcessRunner;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host in a fleet ({@code backup.cluster}): it joins the engine, holds the lease (Camel cluster
 * leadership of the directory's namespace) of every directory it syncs, for as long as it syncs it, and
 * hands back between runs the directories that belong to another host. With {@code backup.cluster = none}
 * every method lets the run through unchanged.
 *
 * <p>A run: {@link #claim} (after the preconditions) keeps the directories whose lease this host holds;
 * {@link #hold} and {@link #confirm} around each directory's sync make sure the lease is still held (a
 * lease lost during a sync stops its rclone at once, and the directory fails); {@link #record} after the
 * run publishes each directory's outcome for the other hosts and {@code bin/backup fleet}.
 */
public final class Fleet implements Service {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;
    private final String nodeId;
    private final List<Path> sources;
    private final List<Path> prefer;
    private final Duration lease;
    private final String schedule;
    private final Path mainRoot;
    private final Map<Path, CamelClusterView> joined = new ConcurrentHashMap<>();
    private final Map<Path, Thread> busy = new ConcurrentHashMap<>();
    private final Set<Path> lost = ConcurrentHashMap.newKeySet();
    private volatile CamelContext camel;
    private volatile FleetStore store;
    private volatile CamelClusterService service;
    private volatile String trouble;
    private java.util.concurrent.ScheduledExecutorService watch;
    private volatile CamelClusterView memberView;
    private final java.util.concurrent.locks.ReentrantLock balancing = new java.util.concurrent.locks.ReentrantLock();

    public Fleet(Settings settings) {
        cluster = settings.get(Keys.CLUSTER);
        nodeId = settings.get(Keys.CLUSTER_NODE_ID).orElseGet(Fleet::hostName);
        sources = settings.get(Keys.SOURCES);
        prefer = settings.get(Keys.CLUSTER_PREFER);
        schedule = settings.get(Keys.SCHEDULE);
        lease = settings.get(Keys.CLUSTER_FAILOVER_AFTER).orElseGet(() -> period(schedule));
        mainRoot = settings.get(Keys.MAIN_ROOT);
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }

    /** One period of the schedule: the time between its next two firings. */
    static Duration period(String cron) {
        try {
            CronExpression c = new CronExpression(cron);
            java.util.Date a = c.getNextValidTimeAfter(new java.util.Date());
            java.util.Date b = c.getNextValidTimeAfter(a);
            return Duration.ofMillis(b.getTime() - a.getTime());
        } catch (java.text.ParseException | NullPointerException e) {
            return Duration.ofDays(1);
        }
    }

    /** The namespace of a directory's lease: readable, and safe as a file name and a ZooKeeper node. */
    static String namespace(Path source) {
        String readable = source.toString().replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String hash = HexFormat.of().formatHex(Assignment.hashBytes(source.toString())).substring(0, 8);
        return "dir-" + readable + "-" + hash;
    }

    public boolean enabled() {
        return !cluster.none();
    }

    public String nodeId() {
        return nodeId;
    }

    public Cluster cluster() {
        return cluster;
    }

    /** Camel's context, which runs the cluster service's views. */
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
    boolean join() {
        if (service != null) {
            return true;
        }
        synchronized (this) {
            return joinOnce();
        }
    }

    private boolean joinOnce() {
        if (service != null) {
            return true;
        }
        FleetStore s = FleetStore.of(cluster, lease);
        try {
            s.open();
            CamelClusterService svc = s.service(nodeId);
            if (cluster.engine().equals(Cluster.FILE)) {
                // the lock directory's service schedules one task per lease on a pool of Camel's default profile,
                // whose queue holds 1 000: make room for every directory (found at 1 000 directories)
                var profile = camel.getExecutorServiceManager().getDefaultThreadPoolProfile();
                int room = 4 * sources.size() + 100;
                if (profile.getMaxQueueSize() != null && profile.getMaxQueueSize() >= 0
                        && profile.getMaxQueueSize() < room) {
                    profile.setMaxQueueSize(room);
                }
            }
            svc.setCamelContext(camel);
            svc.start();
            memberView = svc.getView(s.memberNamespace(nodeId));
            s.onReconnect(() -> new Thread(this::rejoin, "fleet-rejoin").start());
            ObjectNode card = JSON.createObjectNode().put("node", nodeId).put("joined", Instant.now().toString());
            prefer.forEach(p -> card.withArray("prefer").add(p.toString()));
            s.put("node-" + nodeId, JSON.writeValueAsBytes(card));
            store = s;
            service = svc;
            watch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fleet-lease-watch");
                t.setDaemon(true);
                return t;
            });
            watch.scheduleWithFixedDelay(this::watchLeases, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            if (trouble != null) {
                LOG.info("cluster: {} can be used again", s.describe());
            }
            trouble = null;
            LOG.info("cluster: this host is {} in {} (a silent host loses its directories after at most {}; "
                    + "prefers {})", nodeId, s.describe(), human(lease), prefer.isEmpty() ? "nothing" : prefer);
            return true;
        } catch (Exception e) {
            s.close();
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!why.equals(trouble)) {
                LOG.warn("cluster: cannot join {}: {}; this host syncs nothing until it can", describe(), why);
            }
            trouble = why;
            return false;
        }
    }

    /**
     * The engine is back after an outage, during which every lease was given up (an election left while
     * out of reach is not re-entered by itself): enter each election again.
     */
    private synchronized void rejoin() {
        if (service == null) {
            return;
        }
        LOG.warn("cluster: {} is reachable again: entering the elections again", describe());
        balancing.lock();
        try {
            service.releaseView(memberView);
            memberView = service.getView(store.memberNamespace(nodeId));
            for (Path source : List.copyOf(joined.keySet())) {
                if (!busy.containsKey(source)) {
                    release(source);
                    acquire(source);
                }
            }
        } catch (Exception e) {
            LOG.warn("cluster: entering the elections again failed: {}", e.toString());
        } finally {
            balancing.unlock();
        }
    }

    /** Leaves the fleet: every lease released, the engine closed. */
    public synchronized void leave() {
        if (service == null) {
            return;
        }
        watch.shutdownNow();
        for (Path source : List.copyOf(joined.keySet())) {
            release(source);
        }
        try {
            service.stop();
        } catch (Exception e) {
            LOG.debug("stopping the cluster service", e);
        }
        store.close();
        service = null;
        store = null;
        LOG.info("cluster: {} left {}", nodeId, cluster);
    }

    private String describe() {
        return cluster.toString();
    }

    /**
     * The run's directories this host holds the lease of: those assigned to it are claimed (and waited for
     * a little, while another host hands them over), those assigned to another host released. The others
     * are named in the log and the report with the host that has them. The engine out of reach: nothing.
     */
    public BackupRun claim(BackupRun run) throws InterruptedException {
        if (!enabled()) {
            return run;
        }
        if (!join()) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "the cluster " + describe() + " cannot be used ("
                    + trouble + "): no directory synced, none held");
        }
        if (!store.connected()) {
            throw outOfReach();
        }
        Map<Path, String> assignment;
        if (!balancing.tryLock(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw outOfReach();
        }
        try {
            assignment = balance();
        } finally {
            balancing.unlock();
        }
        // wait for the leases asked for while they keep coming (1 000 take about a minute on ZooKeeper); give up
        // on the rest after a quiet spell: another host still has them (it is syncing), they come later
        long quiet = acquireWait().toNanos();
        long lastProgress = System.nanoTime();
        long held = -1;
        while (System.nanoTime() - lastProgress < quiet) {
            long missing = assignment.entrySet().stream()
                    .filter(e -> nodeId.equals(e.getValue()) && !leads(e.getKey())).count();
            if (missing == 0) {
                break;
            }
            if (missing != held) {
                held = missing;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(250);
        }
        Map<Path, String> elsewhere = new LinkedHashMap<>();
        List<Path> here = new ArrayList<>();
        Map<String, JsonNode> records = records();
        for (Path source : sources) {
            if (leads(source)) {
                here.add(source);
                lost.remove(source);
                LOG.info("cluster: {} runs on this host ({})", source, nodeId);
            } else {
                String who = Optional.ofNullable(assignment.get(source)).filter(h -> !h.equals(nodeId))
                        .or(() -> Optional.ofNullable(records.get(namespace(source))).map(r -> r.path("host").asText(null)))
                        .orElse("another host");
                elsewhere.put(source, who);
                LOG.info("cluster: {} is not this host's: {} has it{}", source, who,
                        nodeId.equals(assignment.get(source)) ? " (it is to come here once that host lets it go)" : "");
            }
        }
        run.claimed(here, elsewhere, nodeId);
        return run;
    }

    private Failure outOfReach() {
        return new Failure(RunOutcome.PRECONDITION_FAILED, "the cluster " + describe() + " is out of reach: "
                + "every lease is given up, no directory synced until it is back");
    }

    /** How long a claim waits for a lease it asked for with none coming: a few of the engine's lock intervals. */
    private Duration acquireWait() {
        return cluster.engine().equals(Cluster.FILE) ? Duration.ofSeconds(Math.max(12, Math.min(60, lease.toSeconds() / 3)))
                : Duration.ofSeconds(10);
    }

    /**
     * Claims the directories assigned to this host and lets go of the others (never one it is syncing).
     * Called at each claim and, in the daemon, every few seconds between runs.
     */
    Map<Path, String> balance() {
        if (!enabled() || !join() || !store.connected()) {
            return Map.of();
        }
        Map<Path, String> assignment;
        try {
            Set<String> up = store.members();
            up.add(nodeId);
            Map<String, List<Path>> prefers = new LinkedHashMap<>();
            records().forEach((name, r) -> {
                if (name.startsWith("node-") && r.has("node")) {
                    List<Path> p = new ArrayList<>();
                    r.path("prefer").forEach(x -> p.add(Path.of(x.asText())));
                    prefers.put(r.get("node").asText(), p);
                }
            });
            assignment = Assignment.of(sources, up, prefers);
        } catch (RuntimeException e) {
            LOG.warn("cluster: cannot read the fleet from {}: {}", describe(), e.getMessage());
            return Map.of();
        }
        for (Map.Entry<Path, String> e : assignment.entrySet()) {
            if (nodeId.equals(e.getValue())) {
                acquire(e.getKey());
            } else if (joined.containsKey(e.getKey()) && !busy.containsKey(e.getKey())) {
                if (leads(e.getKey())) {
                    LOG.info("cluster: handing {} to {} (its host by the assignment)", e.getKey(), e.getValue());
                }
                release(e.getKey());
            }
        }
        return assignment;
    }

    /** Balances between runs (the daemon's timer): nothing while the engine is out of reach, one WARNING. */
    public void balanceIdle() {
        if (enabled() && balancing.tryLock()) {
            try {
                balance();
            } finally {
                balancing.unlock();
            }
        }
    }

    private void acquire(Path source) {
        joined.computeIfAbsent(source, s -> {
            try {
                CamelClusterView view = service.getView(namespace(s));
                view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                        leadership(s, leader != null && leader.isLocal()));
                return view;
            } catch (Exception e) {
                throw new IllegalStateException("cluster: cannot join the election of " + s + ": " + e, e);
            }
        });
    }

    private void release(Path source) {
        leading.put(source, false);
        CamelClusterView view = joined.remove(source);
        if (view != null) {
            try {
                service.releaseView(view);
            } catch (Exception e) {
                LOG.debug("releasing the lease of {}", source, e);
            }
        }
    }

    private final Map<Path, Boolean> leading = new ConcurrentHashMap<>();

    /** The engine says this host gained or lost the lease of a directory. */
    private void leadership(Path source, boolean local) {
        Boolean before = leading.put(source, local);
        if (local && !Boolean.TRUE.equals(before)) {
            JsonNode r = records().get(namespace(source));
            String previous = r == null ? null : r.path("host").asText(null);
            if (previous != null && !previous.equals(nodeId) && !upNow(previous)) {
                LOG.warn("cluster: took over {} from {}, which is gone (its last run there: {}, {})", source, previous,
                        r.path("lastRun").asText("none"), r.path("outcome").asText("unknown"));
            } else if (previous != null && !previous.equals(nodeId)) {
                LOG.info("cluster: took over {} from {}, which handed it over", source, previous);
            } else {
                LOG.info("cluster: this host holds {}", source);
            }
            if (!Files.isDirectory(org.idream.backup.model.Layout.mirror(mainRoot, source))) {
                LOG.info("cluster: {} has no mirror on this host: its first sync here is a full one", source);
            }
            publish(source, n -> n.put("host", nodeId).put("since", Instant.now().toString()));
        } else if (!local && Boolean.TRUE.equals(before)) {
            Thread t = busy.get(source);
            if (t != null) {
                lost.add(source);
                LOG.error("cluster: lost the lease of {} during its sync ({}): stopping its rclone; another host may "
                        + "take it", source, describe());
                ProcessRunner.stopStartedBy(t);
            } else {
                LOG.info("cluster: this host no longer holds {}", source);
            }
        }
    }

    /** Every second: a directory being synced whose lease is gone, whatever the engine's events said. */
    private void watchLeases() {
        for (Path source : List.copyOf(busy.keySet())) {
            if (!lost.contains(source) && !leads(source)) {
                leading.put(source, true);
                leadership(source, false);
            }
        }
    }

    private boolean upNow(String node) {
        try {
            FleetStore s = store;
            return s != null && s.members().contains(node);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean leads(Path source) {
        CamelClusterView view = joined.get(source);
        return view != null && view.getLocalMember().isLeader();
    }

    /** A directory's sync begins: this host must hold its lease. */
    public void hold(DirectoryRun d) {
        if (!enabled()) {
            return;
        }
        Path source = d.plan().source();
        busy.put(source, Thread.currentThread());
        if (!leads(source)) {
            lost.add(source);
        }
        confirm(d);
    }

    /** Before anything is recorded: the lease held all along, or the directory fails. */
    public void confirm(DirectoryRun d) {
        if (enabled() && (lost.contains(d.plan().source()) || !leads(d.plan().source()))) {
            throw new LeaseLost(d.plan().source(), describe());
        }
    }

    /** The directory is done (whatever its outcome). */
    public void done(DirectoryRun d) {
        if (enabled()) {
            busy.remove(d.plan().source());
        }
    }

    /** After the run: each directory's outcome where the fleet reads it. */
    public void record(BackupRun run) {
        if (!enabled() || store == null || run == null || run.dryRun() || run.host() == null) {
            return;     // no claim made (the engine out of reach, a step before it failed): nothing of ours to say
        }
        String next = nextFiring();
        for (DirectoryRun d : run.directories()) {
            try {
                publish(d.plan().source(), n -> {
                    n.put("host", nodeId).put("lastRun", run.started().toInstant().toString())
                            .put("outcome", d.status().id()).put("nextFiring", next);
                    if (d.status() == org.idream.backup.outcome.DirectoryStatus.SUCCESS) {
                        n.put("lastSuccess", run.started().toInstant().toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("cluster: cannot record {} in {}: {}", d.tag(), describe(), e.getMessage());
            }
        }
    }

    private String nextFiring() {
        try {
            return new CronExpression(schedule).getNextValidTimeAfter(new java.util.Date()).toInstant().toString();
        } catch (java.text.ParseException e) {
            return "";
        }
    }

    private void publish(Path source, java.util.function.Consumer<ObjectNode> change) {
        FleetStore s = store;
        if (s == null) {
            return;
        }
        String name = namespace(source);
        JsonNode old = records().get(name);
        ObjectNode n = old instanceof ObjectNode o ? o : JSON.createObjectNode();
        n.put("source", source.toString());
        change.accept(n);
        try {
            s.put(name, JSON.writeValueAsBytes(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, JsonNode> records() {
        FleetStore s = store;
        return s == null ? Map.of() : parse(s.records());
    }

    static Map<String, JsonNode> parse(Map<String, byte[]> raw) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            try {
                out.put(k, JSON.readTree(new String(v, StandardCharsets.UTF_8)));
            } catch (Exception e) {
                // a record being replaced: skipped this time
            }
        });
        return out;
    }

    /** For the health check: whether this host is in the cluster, and which directories it holds. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        if (!enabled()) {
            return h;
        }
        h.put("cluster", describe());
        h.put("cluster.node", nodeId);
        FleetStore s = store;
        h.put("cluster.member", service != null && trouble == null && s != null && s.connected());
        if (trouble != null) {
            h.put("cluster.problem", trouble);
        }
        h.put("cluster.holds", sources.stream().filter(this::leads).map(Path::toString).toList());
        return h;
    }

    static String human(Duration d) {
        return d.toSeconds() % 86400 == 0 ? d.toDays() + "d" : d.toSeconds() % 3600 == 0 ? d.toHours() + "h"
                : d.toSeconds() + "s";
    }

    /** The lease of a directory was lost while it was synced: it fails, and nothing of it is recorded. */
    public static final class LeaseLost extends Failure {
        LeaseLost(Path source, String cluster) {
            super(RunOutcome.FAILED, "this host does not hold the cluster lease of " + source + " (" + cluster
                    + "): another host may be syncing it");
        }
    }
}
