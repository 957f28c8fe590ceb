package org.idream.backup.cephfs;

import java.io.IOException;
import java.nio.file.Path;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot per CephFS source and run ({@code backup.snapshots}): taken before the directory's sync, so
 * that the sync, its validation and the manifest all see one moment of the tree; removed when the
 * directory is done, whatever the outcome. Snapshots of this product that a killed run left are removed
 * first. CephFS refusing one (no {@code s} capability, snapshots disabled): {@code auto} syncs the live
 * tree after one WARNING, {@code required} fails the directory. A dry run takes none.
 */
public final class SnapshotSteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public SnapshotSteps(Settings settings) {
        this.settings = settings;
    }

    public void take(BackupRun run,
            DirectoryRun d) {
        String mode = settings.get(Keys.SNAPSHOTS);
        if (mode.equals("off")) {
            return;
        }
        if (run.dryRun()) {
            LOG.info("[{}] dry run: no snapshot taken", d.tag());
            return;
        }
        if (!CephFs.isCephFs(d.source())) {
            if (mode.equals("required")) {
                refused(mode, d, "the source is not on CephFS");
            }
            LOG.debug("[{}] not on CephFS: no snapshot", d.tag());
            return;
        }
        try {
            for (Path left : Snapshots.leftovers(d.source())) {
                Snapshots.remove(left);
                LOG.warn("[{}] removed the snapshot {}, left by a run that did not finish", d.tag(), left);
            }
        } catch (IOException e) {
            LOG.warn("[{}] cannot remove the snapshots earlier runs left: {}", d.tag(), e.toString());
        }
        String name = Snapshots.name(run.name());
        try {
            Path snapshot = Snapshots.take(d.source(), name);
            d.snapshot(snapshot, name);
            LOG.info("[{}] snapshot {} taken: the sync reads from it", d.tag(), snapshot);
        } catch (IOException e) {
            refused(mode, d, "CephFS refused the snapshot " + Snapshots.path(d.source(), name) + " (" + e + "; a "
                    + "client needs the MDS 's' capability, and snapshots enabled on the file system)");
        }
    }

    private static void refused(String mode, DirectoryRun d, String why) {
        if (mode.equals("required")) {
            throw new Failure(RunOutcome.FAILED, "no snapshot: " + why + " (" + Keys.SNAPSHOTS.name() + " = required)");
        }
        LOG.warn("[{}] {}: syncing the live tree ({} = auto)", d.tag(), why, Keys.SNAPSHOTS.name());
    }

    /** Removes the directory's snapshot, whatever its outcome. */
    public void release(DirectoryRun d) {
        if (d == null || d.snapshotName() == null || d.readFrom().equals(d.source())) {
            return;
        }
        Path snapshot = d.readFrom();
        try {
            Snapshots.remove(snapshot);
            d.snapshotRemoved();
            LOG.info("[{}] snapshot {} removed", d.tag(), snapshot);
        } catch (IOException e) {
            LOG.warn("[{}] cannot remove the snapshot {}: {} (the next run removes it)", d.tag(), snapshot, e.toString());
        }
    }
}
