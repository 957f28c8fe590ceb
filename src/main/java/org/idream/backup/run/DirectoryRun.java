package org.idream.backup.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.rclone.TreeSummary;

/**
 * One source directory within one run: where it goes, and what happened to it. It travels through
 * the per-directory route as an exchange property and becomes one entry of the run report.
 */
public final class DirectoryRun {
    public enum Status { NOT_STARTED, RUNNING, SUCCESS, FAILED, REFUSED }

    public enum Validation { NOT_RUN, PASSED, FAILED, SKIPPED }

    private final Path source;
    private final Path mirror;
    private final Path deletedArea;
    private volatile Status status = Status.NOT_STARTED;
    private volatile Validation validation = Validation.NOT_RUN;
    private volatile int attempts;
    private volatile Integer exitCode;
    private volatile RcloneStats stats = RcloneStats.NONE;
    private volatile TreeSummary sourceTree;
    private volatile TreeSummary mirrorTree;
    private volatile Instant started;
    private volatile Instant ended;
    private volatile String error;

    public DirectoryRun(Path source, Path mirror, Path deletedArea) {
        this.source = source;
        this.mirror = mirror;
        this.deletedArea = deletedArea;
    }

    /** The tag of every log line about this directory. */
    public String tag() {
        return source.toString();
    }

    void started() {
        started = Instant.now();
        status = Status.RUNNING;
    }

    int nextAttempt() {
        return ++attempts;
    }

    void synced(int code, RcloneStats s) {
        exitCode = code;
        stats = s;
    }

    void validated(Validation v, TreeSummary src, TreeSummary dst) {
        validation = v;
        sourceTree = src;
        mirrorTree = dst;
    }

    void succeeded() {
        status = Status.SUCCESS;
        ended = Instant.now();
    }

    void failed(String reason) {
        status = Status.FAILED;
        error = reason;
        ended = Instant.now();
    }

    /** The empty-mount guard refused this directory: nothing was synced, the mirror is untouched. */
    void refused(String reason) {
        failed(reason);
        status = Status.REFUSED;
    }

    public Path source() {
        return source;
    }

    public Path mirror() {
        return mirror;
    }

    public Path deletedArea() {
        return deletedArea;
    }

    public Status status() {
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

    public RcloneStats stats() {
        return stats;
    }

    public TreeSummary sourceTree() {
        return sourceTree;
    }

    public TreeSummary mirrorTree() {
        return mirrorTree;
    }

    public Instant startedAt() {
        return started;
    }

    public String error() {
        return error;
    }

    public Duration duration() {
        if (started == null) {
            return Duration.ZERO;
        }
        return Duration.between(started, ended == null ? Instant.now() : ended);
    }
}
