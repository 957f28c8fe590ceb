package org.idream.backup.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's steps in a fleet (the routes' bean {@code fleet}): {@link #claim} (after the preconditions) keeps
 * the directories whose lease this host holds; {@link #hold} and {@link #confirm} around each directory's
 * sync make sure the lease is still held (a lease lost during a sync stops its rclone at once, and the
 * directory fails); {@link #record} after the run publishes each directory's outcome for the other hosts and
 * {@code bin/backup fleet}. With {@code backup.cluster = none} every step lets the run through unchanged.
 */
public final class FleetSteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Fleet fleet;
    private final Balancer balancer;

    public FleetSteps(Fleet fleet) {
        this.fleet = fleet;
        this.balancer = new Balancer(fleet);
    }

    /**
     * The run's directories this host holds the lease of: those assigned to it are claimed (and waited for
     * a little, while another host hands them over), those assigned to another host released. The others
     * are named in the log and the report with the host that has them. The engine out of reach: nothing.
     * A directory handed over during this firing after another host synced it in the same firing (the leases
     * settling while hosts join) waits for the next firing: one sync per directory per firing.
     *
     * @param firing when the schedule fired this run (Quartz's scheduled fire time); null for a run started by
     *     hand, which syncs every directory it holds
     */
    public BackupRun claim(BackupRun run, Date firing) throws InterruptedException {
        if (!fleet.enabled()) {
            return run;
        }
        if (!fleet.join()) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "the cluster " + fleet + " cannot be used ("
                    + fleet.trouble() + "): no directory synced, none held");
        }
        Map<Path, String> assignment = new LinkedHashMap<>();
        if (!fleet.usable() || !balancer.balanceFor(Duration.ofSeconds(30), assignment)) {
            throw outOfReach();
        }
        // wait for the leases asked for while they keep coming; give up on the rest after a quiet spell: another
        // host still has them (it is syncing), they come later
        long quiet = fleet.acquireWait().toNanos();
        long lastProgress = System.nanoTime();
        long held = -1;
        while (System.nanoTime() - lastProgress < quiet) {
            long missing = assignment.entrySet().stream()
                    .filter(e -> fleet.nodeId().equals(e.getValue()) && !fleet.leads(e.getKey())).count();
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
        Map<Path, FleetRecords.DirectoryRecord> records = fleet.records().directories(fleet.sources());
        for (Path source : fleet.sources()) {
            Optional<Instant> syncedInFiring = syncedSince(records.get(source), firing);
            if (fleet.leads(source) && syncedInFiring.isPresent()) {
                elsewhere.put(source, "another host");
                LOG.info("cluster: {} came to this host after another host synced it in this firing (its run of {}): it "
                        + "runs here from the next firing", source, syncedInFiring.get());
            } else if (fleet.leads(source)) {
                here.add(source);
                fleet.claimed(source);
                LOG.info("cluster: {} runs on this host ({})", source, fleet.nodeId());
            } else {
                String who = Optional.ofNullable(assignment.get(source)).filter(h -> !h.equals(fleet.nodeId()))
                        .or(() -> Optional.ofNullable(records.get(source)).map(FleetRecords.DirectoryRecord::host))
                        .orElse("another host");
                elsewhere.put(source, who);
                LOG.info("cluster: {} is not this host's: {} has it{}", source, who,
                        fleet.nodeId().equals(assignment.get(source)) ? " (it is to come here once that host lets it go)"
                                : "");
            }
        }
        run.claimed(here, elsewhere, fleet.nodeId());
        return run;
    }

    /** When the directory's last recorded run started at or after this firing: that run's start. */
    private static Optional<Instant> syncedSince(FleetRecords.DirectoryRecord record, Date firing) {
        if (firing == null || record == null || record.lastRun() == null) {
            return Optional.empty();
        }
        try {
            Instant last = Instant.parse(record.lastRun());
            return last.isBefore(firing.toInstant()) ? Optional.empty() : Optional.of(last);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Failure outOfReach() {
        return new Failure(RunOutcome.PRECONDITION_FAILED, "the cluster " + fleet + " is out of reach: "
                + "every lease is given up, no directory synced until it is back");
    }

    /** A directory's sync begins: this host must hold its lease. */
    public void hold(DirectoryRun d) {
        if (fleet.enabled()) {
            fleet.syncing(d.source());
            confirm(d);
        }
    }

    /** Before anything is recorded: the lease held all along, or the directory fails. */
    public void confirm(DirectoryRun d) {
        if (fleet.enabled() && !fleet.heldThroughout(d.source())) {
            throw new LeaseLost(d.source(), fleet.toString());
        }
    }

    /**
     * The directory is done (whatever its outcome): its run recorded at once, before its lease can be handed
     * over, so that a host taking it later in this firing knows it was synced.
     */
    public void done(BackupRun run, DirectoryRun d) {
        if (fleet.enabled() && d != null) {
            try {
                publish(run, d);
            } finally {
                fleet.synced(d.source());
            }
        }
    }

    private void publish(BackupRun run, DirectoryRun d) {
        FleetRecords records = fleet.records();
        if (records == null || run == null || run.dryRun() || run.host() == null) {
            return;
        }
        try {
            records.publish(d.source(), r -> r.ran(fleet.nodeId(), run.started().toInstant().toString(), d.status(),
                    fleet.nextFiring()));
        } catch (RuntimeException e) {
            LOG.warn("cluster: cannot record {} in {}: {}", d.tag(), fleet, e.getMessage());
        }
    }

    /** After the run: each directory's outcome where the fleet reads it. */
    public void record(BackupRun run) {
        FleetRecords records = fleet.records();
        if (!fleet.enabled() || records == null || run == null || run.dryRun() || run.host() == null) {
            return;     // no claim made (the engine out of reach, a step before it failed): nothing of ours to say
        }
        for (DirectoryRun d : run.directories()) {
            publish(run, d);
        }
    }

    /** Between runs (the daemon's timer): claims this host's directories, hands back the others. */
    public void balanceIdle() {
        balancer.balanceIdle();
    }

    /** The lease of a directory was lost while it was synced: it fails, and nothing of it is recorded. */
    public static final class LeaseLost extends Failure {
        LeaseLost(Path source, String cluster) {
            super(RunOutcome.FAILED, "this host does not hold the cluster lease of " + source + " (" + cluster
                    + "): another host may be syncing it");
        }
    }
}
