package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.idream.backup.cephfs.RecursiveStats;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneSetup;

/**
 * What one directory's steps need, from its start to its record, in one value: the run it is part of, the
 * directory (its plan and what happened to it so far), what every rclone call of the run shares, how it is
 * synced and why ({@link ChangeDetection}), what its strategy planned, and what the validation listed.
 * Travels through the per-directory routes as the exchange property {@value #PROPERTY}; written only by
 * the steps of its own directory (one thread at a time).
 */
public final class DirectoryJob {
    public static final String PROPERTY = "job";
    private final BackupRun run;
    private final DirectoryRun directory;
    private final RcloneSetup rclone;
    private volatile SyncStrategy strategy;
    private volatile String reason;
    private volatile Optional<DirectoryState> previous = Optional.empty();
    private volatile Instant since;
    private volatile FullPlan fullPlan;
    private volatile GuidedPlan guidedPlan;
    private volatile Listings listings;
    private volatile List<String> damaged = List.of();
    private volatile Path damagedList;

    public DirectoryJob(BackupRun run, DirectoryRun directory, RcloneSetup rclone) {
        this.run = run;
        this.directory = directory;
        this.rclone = rclone;
    }

    public BackupRun run() {
        return run;
    }

    public DirectoryRun directory() {
        return directory;
    }

    public RcloneSetup rclone() {
        return rclone;
    }

    public boolean dryRun() {
        return run.dryRun();
    }

    /** How it is synced, and why; {@code previous}: the record of its last run, if there is one. */
    void decided(SyncStrategy strategy, String reason, Optional<DirectoryState> previous) {
        this.strategy = strategy;
        this.reason = reason;
        this.previous = previous;
        directory.syncKind(strategy.kind(), reason);
    }

    public SyncStrategy strategy() {
        return strategy;
    }

    public SyncKind kind() {
        return strategy == null ? null : strategy.kind();
    }

    /** True when it is synced in full (the route's choice). */
    public boolean full() {
        return kind() == SyncKind.FULL;
    }

    public String reason() {
        return reason;
    }

    public Optional<DirectoryState> previous() {
        return previous;
    }

    private volatile long fullFrom;
    private volatile int copiedFiles;
    private volatile long transferredFiles;
    private volatile double copySeconds;

    /** A full sync's cost is counted from here (its walk before the sync, the sync, the checks after it). */
    void fullSyncStarts() {
        fullFrom = System.nanoTime();
    }

    /** Seconds since {@link #fullSyncStarts()}: what this full sync cost. */
    double fullSyncSeconds() {
        return (System.nanoTime() - fullFrom) / 1e9;
    }

    /** A guided copy of {@code files} files, {@code transferred} of them copied, took {@code seconds}. */
    void copied(int files, long transferred, double seconds) {
        copiedFiles = files;
        transferredFiles = transferred;
        copySeconds = seconds;
    }

    int copiedFiles() {
        return copiedFiles;
    }

    long transferredFiles() {
        return transferredFiles;
    }

    double copySeconds() {
        return copySeconds;
    }

    /** A change-guided sync: the moment since which changes are looked for. */
    void changesSince(Instant since) {
        this.since = since;
    }

    private volatile RecursiveStats signals;

    /** A change-guided sync: what tells its walk where the changes are (CephFS's rctimes, or the manifest's comparison). */
    void changesFrom(RecursiveStats signals) {
        this.signals = signals;
    }

    RecursiveStats signals() {
        return signals;
    }

    public Instant since() {
        return since;
    }

    void planned(FullPlan plan) {
        this.fullPlan = plan;
    }

    /** What the walk before a full sync found; null before it, or for a guided sync. */
    public FullPlan fullPlan() {
        return fullPlan;
    }

    void planned(GuidedPlan plan) {
        this.guidedPlan = plan;
    }

    /** What a change-guided sync does; null for a full sync. */
    public GuidedPlan guidedPlan() {
        return guidedPlan;
    }

    /** The mirror's files a verify found damaged, to copy again (their source unchanged). */
    void damaged(List<String> rels, Path list) {
        this.damaged = List.copyOf(rels);
        this.damagedList = list;
    }

    /**
     * Before the sync changes the mirror (its record says a run started): the damaged copies removed, so that
     * the sync copies them again; the verify's list of them done with.
     */
    void removeDamaged() throws IOException {
        for (String rel : damaged) {
            Files.deleteIfExists(Names.resolveListed(directory.mirror(), rel));
        }
        if (damagedList != null) {
            Files.deleteIfExists(damagedList);
        }
    }

    public void listed(Listings l) {
        this.listings = l;
    }

    public Listings listings() {
        return listings;
    }

    /** This run's manifest of the mirror. */
    public Path manifest() {
        return Layout.manifestFile(run.deletedFolder(), directory.source());
    }

    /** The manifest of the last run this directory's record names (it may be gone); null without a record. */
    public Path previousManifest() {
        return previous.map(p -> Layout.manifestFile(run.deletedFolder().getParent().getParent().resolve(p.run()),
                directory.source())).orElse(null);
    }

    /** Where this run's manifest of the mirror is recorded before it is moved into place. */
    public Path manifestWork() {
        return Layout.manifestWork(run.deletedFolder(), directory.source());
    }
}
