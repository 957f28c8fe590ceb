package org.idream.backup.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this host's leases follow the {@link Assignment}: asks for the directories assigned to it, gives
 * back the others (never one being synced here). A claim balances once; the daemon's timer balances every
 * few seconds between runs; never both at once.
 */
public final class Balancer {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Fleet fleet;
    private final ReentrantLock balancing = new ReentrantLock();

    public Balancer(Fleet fleet) {
        this.fleet = fleet;
    }

    /**
     * Claims the directories assigned to this host and lets go of the others (never one it is syncing).
     * Called at each claim and, in the daemon, every few seconds between runs. Empty when the engine cannot
     * be used.
     */
    Map<Path, String> balance() {
        if (!fleet.usable()) {
            return Map.of();
        }
        Map<Path, String> assignment;
        try {
            Optional<String> conflict = fleet.store().conflict();
            if (conflict.isPresent()) {
                if (!conflict.get().equals(fleet.trouble())) {
                    LOG.error("cluster: {}: every lease given up", conflict.get());
                }
                fleet.trouble(conflict.get());
                fleet.releaseAll();
                return Map.of();
            }
            if (fleet.trouble() != null) {
                LOG.info("cluster: {} can be used again", fleet.cluster());
                fleet.trouble(null);
            }
            Set<String> members = fleet.store().members();
            members.add(fleet.nodeId());
            fleet.up(members);
            Map<String, List<Path>> prefers = new LinkedHashMap<>();
            fleet.records().cards().forEach((node, card) -> prefers.put(node, card.prefer().stream().map(Path::of).toList()));
            assignment = Assignment.of(fleet.sources(), prefers.keySet(), members, prefers);
        } catch (RuntimeException e) {
            LOG.warn("cluster: cannot read the fleet from {}: {}", fleet.cluster(), e.getMessage());
            return Map.of();
        }
        for (Map.Entry<Path, String> e : assignment.entrySet()) {
            if (fleet.nodeId().equals(e.getValue())) {
                fleet.acquire(e.getKey());
            } else if (fleet.wants(e.getKey()) && !fleet.busy(e.getKey())) {
                if (fleet.leads(e.getKey())) {
                    LOG.info("cluster: handing {} to {} (its host by the assignment)", e.getKey(), e.getValue());
                }
                fleet.release(e.getKey());
            }
        }
        return assignment;
    }

    /** Balances between runs (the daemon's timer); nothing while a claim balances or the engine is out of reach. */
    public void balanceIdle() {
        if (fleet.enabled() && balancing.tryLock()) {
            try {
                balance();
            } finally {
                balancing.unlock();
            }
        }
    }

    /** The claim's turn to balance: waits a while for the daemon's timer; false when it never got it. */
    boolean balanceFor(Duration wait, Map<Path, String> into) throws InterruptedException {
        if (!balancing.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            into.putAll(balance());
            return true;
        } finally {
            balancing.unlock();
        }
    }
}
