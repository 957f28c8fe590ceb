package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rclone sync} of one source directory into its mirror (SPEC §2 step 9), and the change-guided
 * sync's {@code rclone copy} of the files that changed: the only place that knows their flags, and the
 * mirror's lock around them. rclone is started as
 * {@code flock --nonblock --no-fork LOCK rclone sync ...}: flock takes the lock and becomes rclone, so
 * the lock lives exactly as long as that rclone, also after a {@code kill -9} of this JVM, and the
 * next run's flock fails with {@value #BUSY} instead of letting two rclones write to one mirror.
 */
public final class RcloneSync {
    /** flock's exit code when the mirror's lock is held: outside rclone's own codes (0–9). */
    public static final int BUSY = 75;
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    /** How one call ended: rclone's exit code (or {@link #BUSY}), its last stats, its last errors. */
    public record Result(int exitCode, RcloneStats stats, List<String> lastErrors) {
    }

    private final Settings settings;
    private final BiConsumer<String, RcloneStats> progress;

    /** @param progress told of each stats update: the directory's tag and the stats */
    public RcloneSync(Settings settings, BiConsumer<String, RcloneStats> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * The argument list of rclone (after the binary).
     *
     * @param backupDir    where displaced files go: this run's folder of the deleted area for this source
     * @param deleteBefore displace before transferring ({@code --delete-before}, a second pass over the
     *                     listings): only when the walk before the sync could not displace the entries whose
     *                     kind changed itself
     */
    public List<String> arguments(RcloneSetup setup, Path source, Path mirror, Path backupDir, boolean dryRun,
            boolean deleteBefore) {
        List<String> a = new ArrayList<>(List.of("sync", source.toString(), mirror.toString()));
        a.add("--fast-list");
        a.add("--create-empty-src-dirs");
        // rclone 1.60 with --links writes a file by opening its path in the mirror without O_NOFOLLOW:
        // where the mirror holds a symbolic link and the source now a file of that name, it writes
        // through the link (anywhere on this host, as root) and loses the link; where the mirror holds a
        // file and the source now a link, the file is replaced without reaching --backup-dir. The walk
        // before the sync (PreScan) displaces such entries first; when it could not, --delete-before
        // does (deleting, i.e. moving to --backup-dir, before anything is written).
        if (deleteBefore) {
            a.add("--delete-before");
        }
        a.addAll(comparison());
        a.addAll(List.of("--backup-dir", backupDir.toString()));
        settings.get(Keys.RCLONE_MAX_DELETE).ifPresent(n -> a.addAll(List.of("--max-delete", n.toString())));
        a.addAll(setup.treeFlags());
        if (dryRun) {
            a.add("--dry-run");
        }
        a.addAll(RcloneSetup.jsonLogFlags("INFO"));
        a.addAll(RcloneSetup.statsFlags(settings.get(Keys.PROGRESS_INTERVAL)));
        return a;
    }

    /**
     * The arguments of the change-guided sync's copy: the listed files only (found by the walk, filtered
     * already: rclone ignores other filters with a list), compared as the sync compares them, and an
     * overwritten file moved to the deleted area as the sync moves it.
     */
    public List<String> copyArguments(RcloneSetup setup, Path source, Path mirror, Path backupDir, Path list,
            boolean dryRun) {
        List<String> a = new ArrayList<>(List.of("copy", source.toString(), mirror.toString(), "--files-from-raw",
                list.toString(), "--no-traverse"));
        a.addAll(comparison());
        a.addAll(List.of("--backup-dir", backupDir.toString()));
        a.addAll(setup.configFlags());
        if (dryRun) {
            a.add("--dry-run");
        }
        a.addAll(RcloneSetup.jsonLogFlags("INFO"));
        a.addAll(RcloneSetup.statsFlags(settings.get(Keys.PROGRESS_INTERVAL)));
        return a;
    }

    /** How files are compared, and how many at once: the same for the sync and the guided copy. */
    private List<String> comparison() {
        List<String> a = new ArrayList<>();
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
                "--retries-sleep", settings.get(Keys.RCLONE_RETRIES_SLEEP).toSeconds() + "s"));
        return a;
    }

    /** The whole command: rclone under flock, holding the mirror's lock. */
    public List<String> command(RcloneSetup setup, Path lock, List<String> rcloneArguments) {
        List<String> argv = new ArrayList<>(List.of("flock", "--nonblock", "--conflict-exit-code",
                Integer.toString(BUSY), "--no-fork", lock.toString(), setup.binary()));
        argv.addAll(rcloneArguments);
        return argv;
    }

    /** One attempt: rclone with these arguments, holding the mirror's lock; its log streamed into the run's log. */
    public Result call(RcloneSetup setup, DirectoryRun d, List<String> args) throws IOException, InterruptedException {
        Path lock = Layout.directoryLock(settings.get(Keys.LOCK_FILE), d.source());
        LOG.info("[{}] attempt {} of at most {}: {} {}  (holding {})", d.tag(), d.attempts(),
                settings.get(Keys.SYNC_ATTEMPTS), setup.binary(),
                args.stream().map(RcloneSync::quote).collect(Collectors.joining(" ")), lock);
        RcloneLog log = new RcloneLog(d.tag(), stats -> progress.accept(d.tag(), stats));
        int code = ProcessRunner.run(command(setup, lock, args), null, StandardCharsets.UTF_8,
                ProcessRunner::discard, log);
        return new Result(code, log.finalStats(), log.lastErrors());
    }

    /** An rclone still writing to {@code mirror}, started by an earlier run (its pid), if any. */
    public static Optional<Long> writer(Path mirror) {
        String target = mirror.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(target) && List.of(a).contains("sync"))
                        .orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    /** Shows an argument as a shell would need it, for the log only (nothing is run through a shell). */
    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
