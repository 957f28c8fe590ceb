package org.idream.backup.model;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;

/**
 * One backup run: its plan, its log, its directories, and how it ended. Travels through the run route
 * as the exchange property {@value #PROPERTY}.
 */
public final class BackupRun {
    public static final String PROPERTY = "backupRun";

    /** How the run ended: when, with which outcome, and why when it did not succeed. */
    public record End(ZonedDateTime at, RunOutcome outcome, String reason) {
    }

    private final RunPlan plan;
    private final Path logFile;
    private volatile List<DirectoryRun> directories;
    private volatile Map<Path, String> elsewhere = Map.of();
    private volatile String host;
    private volatile End stop;
    private volatile End end;
    private volatile Long deletedAreaBytes;
    private volatile java.util.Map<String, Long> keptPoints = java.util.Map.of();
    private volatile Long mdsRequestsBefore;
    private volatile Long mdsRequests;

    /** @param logFile the run's log, or null when it could not be created */
    public BackupRun(RunPlan plan, Path logFile) {
        this.plan = plan;
        this.logFile = logFile;
        this.directories = plan.directories().stream().map(DirectoryRun::new).toList();
    }

    /**
     * A fleet's run: only the directories this host holds the lease of; the others are another host's
     * ({@code elsewhere}: source and host), named in the report, not run here.
     */
    public void claimed(List<Path> here, Map<Path, String> elsewhere, String host) {
        this.directories = directories.stream().filter(d -> here.contains(d.plan().source())).toList();
        this.elsewhere = Map.copyOf(elsewhere);
        this.host = host;
    }

    /** The directories of this run that other hosts of the fleet have, with their host. */
    public Map<Path, String> elsewhere() {
        return elsewhere;
    }

    /** The node id of this host in a fleet, or null without one. */
    public String host() {
        return host;
    }

    /** Records that the run stopped early; the first reason given wins. */
    public void stop(RunOutcome outcome, String why) {
        if (stop == null) {
            stop = new End(null, outcome, why);
        }
    }

    /** Ends the run at {@code at}: unless it stopped early, a success only if every directory succeeded. */
    public End end(ZonedDateTime at) {
        if (stop != null) {
            end = new End(at, stop.outcome(), stop.reason());
        } else {
            long failed = directories.stream().filter(d -> d.status() != DirectoryStatus.SUCCESS)
                    .count();
            end = failed == 0 ? new End(at, RunOutcome.SUCCESS, null)
                    : new End(at, RunOutcome.FAILED, failed + " of " + directories.size() + " directories failed");
        }
        return end;
    }

    /** True once the empty-mount guard refused a directory: something looks wrong with the sources. */
    public boolean anyRefused() {
        return directories.stream().anyMatch(d -> d.status() == DirectoryStatus.REFUSED);
    }

    public RunPlan plan() {
        return plan;
    }

    public ZonedDateTime started() {
        return plan.started();
    }

    public boolean dryRun() {
        return plan.dryRun();
    }

    public String name() {
        return plan.name();
    }

    public Path deletedFolder() {
        return plan.runFolder();
    }

    public Path logFile() {
        return logFile;
    }

    /** The report's path: the log's name with {@code .json}; null without a log. */
    public Path reportFile() {
        if (logFile == null) {
            return null;
        }
        String name = logFile.getFileName().toString();
        return logFile.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".json");
    }

    public List<DirectoryRun> directories() {
        return directories;
    }

    /** The restore points retention kept beyond the window, each with the bytes of the deleted area it keeps. */
    public void keptPoints(java.util.Map<String, Long> points) {
        keptPoints = java.util.Map.copyOf(points);
    }

    public java.util.Map<String, Long> keptPoints() {
        return keptPoints;
    }

    /** The size of the deleted area after retention (bytes), when it was measured. */
    public void deletedAreaBytes(long bytes) {
        deletedAreaBytes = bytes;
    }

    public Long deletedAreaBytes() {
        return deletedAreaBytes;
    }

    /** The count of MDS requests the mount's client had made before the syncs; null: not known. */
    public void mdsRequestsBefore(Long count) {
        mdsRequestsBefore = count;
    }

    public Long mdsRequestsBefore() {
        return mdsRequestsBefore;
    }

    /** The MDS requests made during the syncs (read from the Ceph client's admin socket by cephfs.MdsRequests). */
    public void mdsRequests(long count) {
        mdsRequests = count;
    }

    /** Null when they could not be counted. */
    public Long mdsRequests() {
        return mdsRequests;
    }

    public ZonedDateTime ended() {
        return end == null ? null : end.at();
    }

    public RunOutcome outcome() {
        return end == null ? null : end.outcome();
    }

    public String reason() {
        return end == null ? null : end.reason();
    }
}
