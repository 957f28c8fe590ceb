package org.idream.backup.rclone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;

/**
 * {@code rclone sync} of one source directory into its mirror (SPEC §2 step 9): the only place that
 * knows the sync's flags.
 */
public final class RcloneSync {
    private final Settings settings;

    public RcloneSync(Settings settings) {
        this.settings = settings;
    }

    /**
     * The argument list (after the binary).
     *
     * @param backupDir where displaced files go: this run's folder of the deleted area for this source
     */
    public List<String> arguments(RcloneSetup setup, Path source, Path mirror, Path backupDir, boolean dryRun) {
        List<String> a = new ArrayList<>(List.of("sync", source.toString(), mirror.toString()));
        a.add("--fast-list");
        a.add("--create-empty-src-dirs");
        // Displace before transferring. rclone 1.60 with --links writes a file by opening its path
        // in the mirror without O_NOFOLLOW: where the mirror holds a symbolic link and the source
        // now a file of that name, it writes through the link (anywhere on this host, as root) and
        // loses the link; where the mirror holds a file and the source now a link, the file is
        // replaced without reaching --backup-dir. Deleting (= moving to --backup-dir) first clears
        // the path, and keeps the old version.
        a.add("--delete-before");
        if (settings.get(Keys.RCLONE_CHECKSUM)) {
            a.add("--checksum");
        }
        // No --update by default: a cut-short or empty mirror copy is newer than its source and
        // would never be repaired (SPEC §2 step 9).
        if (settings.get(Keys.RCLONE_UPDATE)) {
            a.add("--update");
        }
        a.addAll(List.of("--transfers", settings.get(Keys.RCLONE_TRANSFERS).toString(),
                "--checkers", settings.get(Keys.RCLONE_CHECKERS).toString(),
                "--retries", settings.get(Keys.RCLONE_RETRIES).toString(),
                "--retries-sleep", settings.get(Keys.RCLONE_RETRIES_SLEEP).toSeconds() + "s",
                "--backup-dir", backupDir.toString()));
        settings.get(Keys.RCLONE_MAX_DELETE).ifPresent(n -> a.addAll(List.of("--max-delete", n.toString())));
        a.addAll(setup.treeFlags());
        if (dryRun) {
            a.add("--dry-run");
        }
        a.addAll(RcloneSetup.jsonLogFlags("INFO"));
        a.addAll(List.of("--stats", settings.get(Keys.PROGRESS_INTERVAL).toSeconds() + "s",
                "--stats-log-level", "NOTICE"));
        return a;
    }
}
