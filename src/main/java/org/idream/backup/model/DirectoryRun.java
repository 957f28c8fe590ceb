package org.idream.backup.model;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.Failure;

/**
 * One directory within one run: its plan, and what happened to it so far. Written only by the steps of
 * its own per-directory route (one thread at a time), read by the observers and the report.
 */
public final class DirectoryRun {
    /** The exchange property that carries it through the per-directory routes. */
    public static final String PROPERTY = "directory";
    private final DirectoryPlan plan;
    private volatile DirectoryStatus status = DirectoryStatus.NOT_STARTED;
    private volatile Validation validation = Validation.NOT_RUN;
    private volatile int attempts;
    private volatile Integer exitCode;
    private volatile Transfers transfers = Transfers.NONE;
    private volatile TreeSummary sourceTree;
    private volatile TreeSummary mirrorTree;
    private volatile Instant started;
    private volatile Instant ended;
    private volatile String error;
    private volatile Path readFrom;
    private volatile String snapshot;
    private volatile SyncKind syncKind;
    private volatile String syncReason;
    private volatile long displaced;
    private volatile String fullNext;

    public DirectoryRun(DirectoryPlan plan) {
        this.plan = plan;
        this.readFrom = plan.source();
    }

    /** The sync reads from this snapshot of the source (its path, its name) instead of the live tree. */
    public void snapshot(Path path, String name) {
        readFrom = path;
        snapshot = name;
    }

    /** The snapshot was removed: nothing reads from it any more. */
    public void snapshotRemoved() {
        readFrom = plan.source();
    }

    /** How it is synced (full, rctime), and why. */
    public void syncKind(SyncKind kind, String reason) {
        syncKind = kind;
        syncReason = reason;
    }

    /** Entries this product moved into the deleted area itself (before or instead of rclone). */
    public void displaced(long n) {
        displaced += n;
    }

    public void started() {
        started = Clocks.clock().instant();
        status = DirectoryStatus.RUNNING;
    }

    /** Counts one more attempt of the sync; returns its number. */
    public int nextAttempt() {
        return ++attempts;
    }

    public void synced(int code, Transfers t) {
        exitCode = code;
        transfers = t;
    }

    public void validated(Validation v, TreeSummary source, TreeSummary mirror) {
        validation = v;
        sourceTree = source;
        mirrorTree = mirror;
    }

    private volatile Long examined;

    /** The source's entries this run looked at: the whole tree for a full sync, the changed folders' for a guided one. */
    public void examined(long entries) {
        examined = entries;
    }

    /** The entries examined; null before it is known. */
    public Long examined() {
        return examined;
    }

    /** Entries examined a second of the directory's time; null before it is known. */
    public Double entriesPerSecond() {
        double s = duration().toMillis() / 1000.0;
        return examined == null ? null : s <= 0 ? examined.doubleValue() : Math.round(examined / s * 10) / 10.0;
    }

    public void succeeded() {
        status = DirectoryStatus.SUCCESS;
        ended = Clocks.clock().instant();
    }

    /** The directory failed for good, with the status and message of the failure. */
    public void failed(Failure f) {
        status = f.status();
        error = f.getMessage();
        ended = Clocks.clock().instant();
    }

    /** One line: {@code SOURCE: STATUS[ - ERROR]}, in the log's summary, JMX and pings. */
    public String summary() {
        return tag() + ": " + status.id() + (error == null ? "" : " - " + error);
    }

    public DirectoryPlan plan() {
        return plan;
    }

    public String tag() {
        return plan.tag();
    }

    public Path source() {
        return plan.source();
    }

    public Path mirror() {
        return plan.mirror();
    }

    public Path deletedArea() {
        return plan.deletedArea();
    }

    public DirectoryStatus status() {
        return status;
    }

    public Validation validation() {
        return validation;
    }

    public int attempts() {
        return attempts;
    }

    public Integer exitCode() {
        return exitCode;
    }

    /** rclone's counts, with what this product displaced itself among the files moved to the deleted area. */
    public Transfers transfers() {
        return new Transfers(transfers.files(), transfers.bytes(), transfers.movedToDeleted() + displaced,
                transfers.errors());
    }

    /** Where the sync reads: the snapshot of the source when there is one, else the source. */
    public Path readFrom() {
        return readFrom;
    }

    /** The snapshot's name, or null when the live tree is read. */
    public String snapshotName() {
        return snapshot;
    }

    public SyncKind syncKind() {
        return syncKind;
    }

    public String syncReason() {
        return syncReason;
    }

    /** A check of this run found a reason for the next run to sync this directory in full. */
    public void fullNext(String reason) {
        fullNext = reason;
    }

    public String fullNext() {
        return fullNext;
    }

    public TreeSummary sourceTree() {
        return sourceTree;
    }

    public TreeSummary mirrorTree() {
        return mirrorTree;
    }

    public String error() {
        return error;
    }

    /** When its steps began, or null before. */
    public Instant startedAt() {
        return started;
    }

    /** When it ended, or null before. */
    public Instant endedAt() {
        return ended;
    }

    public Duration duration() {
        if (started == null) {
            return Duration.ZERO;
        }
        return Duration.between(started, ended == null ? Clocks.clock().instant() : ended);
    }
}
