package org.idream.backup.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.cephfs.RecursiveStats;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.model.Units;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per directory and run, between a full sync and a sync guided by what changed since the last run
 * (CephFS's recursive change times, or elsewhere a stat walk compared with the last manifest:
 * {@link ManifestComparison}), says why, and keeps the record that the next run decides from
 * ({@link DirectoryState}). A full sync is the safety net: when asked for ({@code --full}), every
 * {@code backup.full-sync-every}, after a run of the directory that did not finish, without a readable
 * record or the manifest it names, and when what decides a sync's result changed (the sources, the
 * exclude file, rclone's comparison flags).
 */
public final class ChangeDetection {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;
    private final FullSync full;
    private final GuidedSync byRctime;
    private final GuidedSync byManifest;
    private final RecursiveStats stats;

    /**
     * @param stats where the recursive change times are read: a directory without them is compared with its last
     *              manifest ({@code auto}, {@code manifest}) or synced in full ({@code rctime})
     */
    public ChangeDetection(Settings settings, FullSync full, GuidedSync guided, RecursiveStats stats) {
        this.settings = settings;
        this.full = full;
        this.byRctime = guided;
        this.byManifest = guided.byManifest();
        this.stats = stats;
    }

    /** How this directory is synced, and why (in the log), and its strategy's plan. */
    public void decide(DirectoryJob job) throws IOException {
        DirectoryRun d = job.directory();
        List<String> damaged = job.dryRun() ? List.of() : repairable(job);
        job.damaged(damaged, Layout.damagedFile(settings.get(Keys.MAIN_ROOT), d.source()));
        Optional<DirectoryState> previous = Optional.empty();
        String unreadable = null;
        try {
            previous = DirectoryState.read(Path.of(stateFile(job)));
        } catch (IOException | RuntimeException e) {
            unreadable = e.getMessage();
        }
        String whyFull = whyFull(job, previous, unreadable);
        if (whyFull == null) {
            try {
                decideGuided(job, previous);
            } catch (GuidedPlan.TooLarge e) {
                job.decided(full, e.getMessage(), previous);
            }
        } else {
            job.decided(full, whyFull, unreadable == null ? previous : Optional.empty());
        }
        LOG.info("[{}] {} sync: {}", d.tag(), job.kind().id(), job.reason());
        if (job.full()) {
            job.fullSyncStarts();
            full.plan(job);
        } else {
            job.guidedPlan().copy.addAll(damaged);     // not changed in the source: the walk would not look at them
            if (job.kind() == SyncKind.RCTIME) {       // (the manifest's comparison counted its walk)
                d.examined(job.guidedPlan().examined());
            }
        }
    }

    /** Guided, by rctimes or by the last manifest; or full when the cost model says it is cheaper. */
    private void decideGuided(DirectoryJob job, Optional<DirectoryState> previous) throws IOException {
        DirectoryRun d = job.directory();
        DirectoryState last = previous.orElseThrow();
        GuidedSync guided;
        String changes;
        if (byRctime(d)) {
            guided = byRctime;
            Duration margin = settings.get(Keys.RCTIME_MARGIN);
            job.changesSince(last.startInstant().minus(margin));
            job.changesFrom(stats);
            guided.plan(job);
            int recorded = job.guidedPlan().keepRecorded(lastManifest(last, d));
            if (recorded > 0) {
                LOG.info("[{}] {} file(s) changed after {} by their change time only, and recorded as they are now by "
                        + "the last run's manifest: not copied again", d.tag(), recorded, job.since());
            }
            changes = "changes since " + job.since() + " (the last successful run, " + last.run()
                    + ", started " + last.startInstant() + "; " + Keys.RCTIME_MARGIN.name() + " = "
                    + Units.duration(margin.toSeconds()) + "): " + job.guidedPlan().summary();
        } else {
            guided = byManifest;
            long t0 = System.nanoTime();
            ManifestComparison compared = ManifestComparison.of(d.readFrom(), job.rclone().filters().orElseThrow(),
                    lastManifest(last, d), GuidedSync.spotCheckRandom(job));
            job.changesSince(last.startInstant());
            job.changesFrom(compared);
            guided.plan(job);
            changes = "changes since the last successful run (" + last.run() + "): " + compared.examined()
                    + " entries of the source compared with its manifest in " + String.format(Locale.ROOT,
                            "%.1f s (its %d entries read in %.1f s)", (System.nanoTime() - t0) / 1e9,
                            compared.manifestEntries(), compared.readSeconds())
                    + ", " + compared.changedFolders() + " folder(s) changed; " + job.guidedPlan().summary();
            d.examined(compared.examined());
        }
        String cheaper = CostModel.of(last).fullIsCheaper(job.guidedPlan().filesToCopy().size(), last.mirrorFiles());
        if (cheaper == null) {
            job.decided(guided, changes, previous);
        } else {
            job.decided(full, "the cost model: " + cheaper + " (" + changes + ")", previous);
        }
    }

    /**
     * The mirror's files a verify found damaged whose source file is still what the copy was (same size and
     * modification time: the bytes rotted on the backup disk), for this sync to remove the damaged copies and copy
     * them again ({@link DirectoryJob#removeDamaged}). One the source changed or no longer has is left to the
     * sync, which moves it to the deleted area like any other old version (damaged: a later verify names it).
     * Their paths, in the listing's form.
     */
    private List<String> repairable(DirectoryJob job) throws IOException {
        DirectoryRun d = job.directory();
        Path list = Layout.damagedFile(settings.get(Keys.MAIN_ROOT), d.source());
        if (!Files.isRegularFile(list)) {
            return List.of();
        }
        List<String> again = new ArrayList<>();
        for (String rel : Files.readString(list, ListedNames.BYTES).split("\n")) {
            Path source = Names.resolveListed(d.readFrom(), rel);
            Path copy = Names.resolveListed(d.mirror(), rel);
            if (!rel.isEmpty() && Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
                    && Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS) && Files.size(source) == Files.size(copy)
                    && Files.getLastModifiedTime(source).equals(Files.getLastModifiedTime(copy))) {
                again.add(rel);
            }
        }
        if (!again.isEmpty()) {
            LOG.warn("[{}] {} file(s) of the mirror a verify found damaged: copied again from the source by this sync, "
                    + "e.g. {}", d.tag(), again.size(), ListedNames.escaped(again.get(0)));
        }
        return again;
    }

    /** Why this directory is synced in full this time; null when it can be guided by change times. */
    private String whyFull(DirectoryJob job, Optional<DirectoryState> previous, String unreadable) throws IOException {
        DirectoryRun d = job.directory();
        String mode = settings.get(Keys.CHANGE_DETECTION);
        if (job.run().plan().full()) {
            return "asked for (--full)";
        }
        if (mode.equals(SyncKind.FULL.id())) {
            return Keys.CHANGE_DETECTION.name() + " = full";
        }
        if (mode.equals(SyncKind.RCTIME.id()) && !stats.available(d.readFrom())) {
            return "not on CephFS: no recursive change times (" + Keys.CHANGE_DETECTION.name() + " = " + mode + ")";
        }
        if (job.rclone().filters().isEmpty()) {
            return "the exclude file's rules cannot be applied outside rclone";
        }
        if (unreadable != null) {
            return "the record of the last run cannot be read (" + unreadable + ")";
        }
        if (previous.isEmpty()) {
            return "no record of an earlier run of this directory (the first backup, or its mirror is new)";
        }
        DirectoryState last = previous.get();
        if (!last.finished()) {
            return "the last run of this directory (" + last.run() + ") did not finish";
        }
        if (last.fullNext() != null) {
            return last.fullNext();
        }
        if (!last.settings().equals(fingerprint(job.rclone()))) {
            return "the sources, the exclude file or rclone's flags changed since the last run (" + last.run() + ")";
        }
        Duration sinceFull = Duration.between(last.lastFullStartInstant(), job.run().started().toInstant());
        Duration every = settings.get(Keys.FULL_SYNC_EVERY);
        if (sinceFull.compareTo(every) >= 0) {
            return "the last full sync started " + Units.duration(sinceFull.toSeconds()) + " ago ("
                    + Keys.FULL_SYNC_EVERY.name() + " = " + Units.duration(every.toSeconds()) + ")";
        }
        Path manifest = lastManifest(last, d);
        if (!Files.isRegularFile(manifest)) {
            return "the manifest of the last run (" + manifest + ") is gone";
        }
        Manifest.Header h = ManifestReader.header(manifest);
        if (h.version() < Manifest.VERSION) {
            return "the manifest of the last run has not all this version records (owners and modes; ACLs, "
                    + "extended attributes and hard links: written by an older version, or from rclone's listing)";
        }
        if (h.delta() && ManifestReader.base(manifest, h) == null) {
            return "the manifest of the last run is a delta whose base, the manifest of run " + h.base() + ", is gone";
        }
        return null;
    }

    /** Guided by CephFS's recursive change times (else by the last manifest). */
    private boolean byRctime(DirectoryRun d) {
        return !settings.get(Keys.CHANGE_DETECTION).equals(SyncKind.MANIFEST.id()) && stats.available(d.readFrom());
    }

    private Path lastManifest(DirectoryState last, DirectoryRun d) {
        return Layout.manifestFile(settings.get(Keys.DELETED_ROOT).resolve(last.run()), d.source());
    }

    /** Where this directory's record is kept (for camel-file's header CamelFileName). */
    public String stateFile(DirectoryJob job) {
        return Layout.stateFile(settings.get(Keys.MAIN_ROOT), job.directory().source()).toString();
    }

    /** The record as the run starts changing the mirror: not finished (a run that dies leaves it so). */
    public String unfinished(DirectoryJob job) throws IOException {
        String now = job.run().started().toInstant().toString();
        DirectoryState state = job.previous().map(p -> p.unfinished(job.run().name()))
                .orElse(new DirectoryState(job.directory().source().toString(), job.run().name(), now, false,
                        job.kind(), now, "", 0, 0, List.of(), true, null, null, null, null));
        return state.json();
    }

    /** The record of a directory that synced and validated: what the next run starts from. */
    public String finished(DirectoryJob job) throws IOException {
        DirectoryRun d = job.directory();
        String start = job.run().started().toInstant().toString();
        String lastFull = job.full() ? start : job.previous().map(DirectoryState::lastFullStart).orElse(start);
        Set<String> links;
        boolean irregular;
        if (job.full()) {
            FullPlan plan = job.fullPlan();
            links = plan == null ? Set.of() : plan.hardLinkDirs();
            irregular = plan == null || plan.irregular();
        } else {
            links = job.guidedPlan().hardLinkDirs();
            irregular = job.guidedPlan().irregular() || job.previous().map(DirectoryState::irregular).orElse(true);
        }
        long files = d.mirrorTree() == null ? 0 : d.mirrorTree().files();
        // what this run's sync cost here, for the next runs' cost model
        Optional<DirectoryState> before = job.previous();
        Double perFile = CostModel.copyRate(job.copiedFiles(), job.transferredFiles(), job.copySeconds(),
                before.map(DirectoryState::copySecondsPerFile).orElse(null));
        Double fullSeconds = job.full() ? Double.valueOf(job.fullSyncSeconds())
                : before.map(DirectoryState::fullSeconds).orElse(null);
        Long fullFiles = job.full() ? Long.valueOf(files) : before.map(DirectoryState::fullFiles).orElse(null);
        return new DirectoryState(d.source().toString(), job.run().name(), start, true, job.kind(), lastFull,
                fingerprint(job.rclone()), files, d.mirrorTree() == null ? 0 : d.mirrorTree().bytes(),
                new ArrayList<>(links), irregular, d.fullNext(), perFile, fullSeconds, fullFiles).json();
    }

    /** What decides a sync's result besides the trees: the sources, the exclude file's content, rclone's comparison flags. */
    String fingerprint(RcloneSetup setup) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("sources=" + new TreeSet<>(settings.get(Keys.SOURCES).stream().map(Path::toString).toList())
                    + "\nchecksum=" + settings.get(Keys.RCLONE_CHECKSUM) + "\nupdate=" + settings.get(Keys.RCLONE_UPDATE)
                    + "\nexclude=").getBytes(StandardCharsets.UTF_8));
            if (setup.excludeFile().isPresent()) {
                sha.update(Files.readAllBytes(setup.excludeFile().get()));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
