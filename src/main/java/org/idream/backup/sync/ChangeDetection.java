package org.idream.backup.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.ExchangeProperty;
import org.idream.backup.cephfs.CephFs;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.Units;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.tree.Listing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per directory and run, between a full sync and a sync guided by CephFS's recursive change
 * times, says why, and keeps the record that the next run decides from ({@link DirectoryState}). A full
 * sync is the safety net: when asked for ({@code --full}), off CephFS, every
 * {@code backup.full-sync-every}, after a run of the directory that did not finish, without a readable
 * record or the manifest it names, and when what decides a sync's result changed (the sources, the
 * exclude file, rclone's comparison flags).
 */
public final class ChangeDetection {
    /** The exchange property of the decision. */
    public static final String PROPERTY = "syncKind";
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public ChangeDetection(Settings settings) {
        this.settings = settings;
    }

    /** The decision for this directory; for a guided sync, with its plan (the walk of what changed). */
    public SyncKind decide(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(RcloneSetup.PROPERTY) RcloneSetup setup) throws IOException {
        Optional<DirectoryState> previous = Optional.empty();
        String unreadable = null;
        try {
            previous = DirectoryState.read(Path.of(stateFile(d)));
        } catch (IOException | RuntimeException e) {
            unreadable = e.getMessage();
        }
        SyncKind kind = decide(run, d, setup, previous, unreadable);
        d.syncKind(kind.id(), kind.reason());
        LOG.info("[{}] {} sync: {}", d.tag(), kind.id(), kind.reason());
        return kind;
    }

    private SyncKind decide(BackupRun run, DirectoryRun d, RcloneSetup setup, Optional<DirectoryState> previous,
            String unreadable) throws IOException {
        String mode = settings.get(Keys.CHANGE_DETECTION);
        boolean ceph = CephFs.isCephFs(d.readFrom());
        if (run.plan().full()) {
            return SyncKind.fullSync("asked for (--full)", previous);
        }
        if (mode.equals("full")) {
            return SyncKind.fullSync(Keys.CHANGE_DETECTION.name() + " = full", previous);
        }
        if (!ceph) {
            return SyncKind.fullSync("not on CephFS: no recursive change times (" + Keys.CHANGE_DETECTION.name() + " = "
                    + mode + ")", previous);
        }
        if (setup.filters().isEmpty()) {
            return SyncKind.fullSync("the exclude file's rules cannot be applied outside rclone", previous);
        }
        if (unreadable != null) {
            return SyncKind.fullSync("the record of the last run cannot be read (" + unreadable + ")", Optional.empty());
        }
        if (previous.isEmpty()) {
            return SyncKind.fullSync("no record of an earlier run of this directory (the first backup, or its mirror is "
                    + "new)", previous);
        }
        DirectoryState last = previous.get();
        if (!last.finished()) {
            return SyncKind.fullSync("the last run of this directory (" + last.run() + ") did not finish", previous);
        }
        if (last.fullNext() != null) {
            return SyncKind.fullSync(last.fullNext(), previous);
        }
        if (!last.settings().equals(fingerprint(setup))) {
            return SyncKind.fullSync("the sources, the exclude file or rclone's flags changed since the last run ("
                    + last.run() + ")", previous);
        }
        Duration sinceFull = Duration.between(last.lastFullStartInstant(), run.started().toInstant());
        Duration every = settings.get(Keys.FULL_SYNC_EVERY);
        if (sinceFull.compareTo(every) >= 0) {
            return SyncKind.fullSync("the last full sync started " + Units.duration(sinceFull.toSeconds()) + " ago ("
                    + Keys.FULL_SYNC_EVERY.name() + " = " + Units.duration(every.toSeconds()) + ")", previous);
        }
        Path manifest = Layout.manifestFile(settings.get(Keys.DELETED_ROOT).resolve(last.run()), d.source());
        if (!Files.isRegularFile(manifest)) {
            return SyncKind.fullSync("the manifest of the last run (" + manifest + ") is gone", previous);
        }
        if (ManifestReader.header(manifest).version() < Manifest.VERSION) {
            return SyncKind.fullSync("the manifest of the last run has no owners and modes (written by an older "
                    + "version, or from rclone's listing)", previous);
        }
        Duration margin = settings.get(Keys.RCTIME_MARGIN);
        Instant since = last.startInstant().minus(margin);
        GuidedPlan plan;
        try {
            plan = GuidedPlan.of(d.readFrom(), d.mirror(), setup.filters().get(), since, Set.copyOf(last.hardLinkDirs()));
        } catch (Listing.Unreadable e) {
            return SyncKind.fullSync("the change-guided walk cannot read everything (" + e.getMessage() + ")", previous);
        }
        return new SyncKind(false, "changes since " + since + " (the last successful run, " + last.run()
                + ", started " + last.startInstant() + "; " + Keys.RCTIME_MARGIN.name() + " = "
                + Units.duration(margin.toSeconds()) + "): " + plan.summary(), since, plan, previous);
    }

    /** Where this directory's record is kept. */
    public String stateFile(@ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d) {
        return Layout.stateFile(settings.get(Keys.MAIN_ROOT), d.source()).toString();
    }

    /** The record as the run starts changing the mirror: not finished (a run that dies leaves it so). */
    public String unfinished(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(PROPERTY) SyncKind kind, @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d)
            throws IOException {
        String now = run.started().toInstant().toString();
        DirectoryState state = kind.previous().map(p -> p.unfinished(run.name()))
                .orElse(new DirectoryState(1, d.source().toString(), run.name(), now, false, kind.id(), now, "", 0, 0,
                        List.of(), true, null));
        return state.json();
    }

    /** The record of a directory that synced and validated: what the next run starts from. */
    public String finished(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(PROPERTY) SyncKind kind, @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(RcloneSetup.PROPERTY) RcloneSetup setup,
            @ExchangeProperty(FullSync.PRE_SCAN) PreScan.Result preScan,
            @ExchangeProperty("listings") Object listings) throws IOException {
        String start = run.started().toInstant().toString();
        String lastFull = kind.full() ? start : kind.previous().map(DirectoryState::lastFullStart).orElse(start);
        Set<String> links;
        boolean irregular;
        if (kind.full()) {
            links = preScan == null ? Set.of() : preScan.hardLinkDirs();
            irregular = preScan == null || preScan.irregular();
        } else {
            links = kind.plan().hardLinkDirs();
            irregular = kind.plan().irregular() || kind.previous().map(DirectoryState::irregular).orElse(true);
        }
        return new DirectoryState(1, d.source().toString(), run.name(), start, true, kind.id(), lastFull,
                fingerprint(setup), d.mirrorTree() == null ? 0 : d.mirrorTree().files(),
                d.mirrorTree() == null ? 0 : d.mirrorTree().bytes(), new ArrayList<>(links), irregular,
                d.fullNext()).json();
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
