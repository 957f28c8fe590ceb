package org.idream.backup.sync;

import java.io.IOException;

import org.apache.camel.ExchangeProperty;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full sync: first the {@link PreScan} (entries whose kind changed displaced first, the source's side of
 * the validation), then {@code rclone sync} of the whole tree.
 */
public final class FullSync {
    /** The exchange property of the pre-scan's result. */
    public static final String PRE_SCAN = "preScan";
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final RcloneSync rclone;

    public FullSync(RcloneSync rclone) {
        this.rclone = rclone;
    }

    /** One attempt of {@code rclone sync} of the whole tree (from the snapshot when there is one). */
    public RcloneSync.Result sync(@ExchangeProperty(RcloneSetup.PROPERTY) RcloneSetup setup,
            @ExchangeProperty(BackupRun.PROPERTY) BackupRun run, @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(PRE_SCAN) PreScan.Result preScan) throws IOException, InterruptedException {
        return rclone.call(setup, d, rclone.arguments(setup, d.readFrom(), d.mirror(), d.deletedArea(), run.dryRun(),
                preScan == null || !preScan.complete()));
    }

    public PreScan.Result preScan(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run,
            @ExchangeProperty(DirectoryRun.PROPERTY) DirectoryRun d,
            @ExchangeProperty(RcloneSetup.PROPERTY) RcloneSetup setup) throws IOException {
        PreScan.Result r;
        if (setup.filters().isEmpty()) {
            r = new PreScan.Result(false, null, 0, java.util.Set.of(), true, "the exclude file's rules cannot be "
                    + "applied outside rclone", null);
        } else {
            ManifestWriter manifest = run.dryRun() ? null : new ManifestWriter(Layout.manifestWork(run.deletedFolder(), d.source()), d.source(),
                    run.name(), d.mirror(), Manifest.VERSION);
            r = PreScan.run(d.readFrom(), d.mirror(), d.deletedArea(), setup.filters().get(), run.dryRun(), manifest);
        }
        d.displaced(r.displaced());
        if (r.displaced() > 0) {
            LOG.info("[{}] {} entr{} of the mirror changed kind in the source (file, link, folder): displaced first",
                    d.tag(), r.displaced(), r.displaced() == 1 ? "y" : "ies");
        }
        if (!r.complete()) {
            LOG.warn("[{}] the walk before the sync stopped ({}): rclone displaces with --delete-before instead, and "
                    + "lists the source for the validation", d.tag(), r.incompleteBecause());
        }
        return r;
    }
}
