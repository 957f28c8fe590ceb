package org.idream.backup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.Layout;
import org.idream.backup.model.Units;
import org.idream.backup.names.ListedNames;
import org.idream.backup.observe.RunMetrics;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.report.Report;
import org.idream.backup.restore.Archive;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verify}, from the command line or after the daemon's runs: checks every source's mirror and deleted
 * area on this host ({@link Verifier}) under the run lock (a backup changes what is checked), names each
 * damaged or missing thing once, and leaves the mirror's damaged files for the next run to copy again
 * ({@link Layout#damagedFile}). The figures go to the metrics ({@code backup_verify_*}).
 */
public final class VerifySteps {
    /** verify's exit code when something is damaged or missing. */
    public static final int DAMAGED = 1;
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;
    private final RunMetrics metrics;

    /** @param metrics where the figures go; null for none (the command line) */
    public VerifySteps(Settings settings, RunMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Whether the night's slice is read after this run: verify is on ({@code backup.verify-subset}), the run was
     * not a dry run and reached its directories (a run the lock or a precondition stopped may have found the
     * backup disk missing: every stored file would look missing).
     */
    public boolean due(BackupRun run) {
        return settings.get(Keys.VERIFY_SUBSET) > 0 && run != null && !run.dryRun()
                && (run.outcome() == RunOutcome.SUCCESS || run.outcome() == RunOutcome.FAILED);
    }

    /** The slice of the night ({@code backup.verify-subset}), after a run; nothing while a run holds the lock. */
    public void nightly() {
        int m = settings.get(Keys.VERIFY_SUBSET);
        if (m > 0) {
            try {
                verify(Slice.nightly(m, LocalDate.now(Clocks.clock())), true);
            } catch (IOException | RuntimeException e) {
                LOG.warn("verify: could not check the stored data: {}", e.toString());
            }
        }
    }

    /** One verify; its exit code: 0 all is well, 1 something damaged or missing, 3 a backup holds the lock. */
    public int verify(Slice slice, boolean lock) throws IOException {
        Path lockFile = settings.get(Keys.LOCK_FILE);
        RunLock held = null;
        if (lock) {
            try {
                held = RunLock.acquire(lockFile);
            } catch (RunLock.Held h) {
                LOG.warn("verify: a backup holds the lock {} ({}): not verified now", lockFile, h.getMessage());
                return 3;
            }
        }
        try {
            LOG.info("verify: the mirrors and the deleted area against the runs' manifests, {}", slice);
            Verifier v = new Verifier(slice);
            Set<String> failed = lastFailed();
            for (Path source : settings.get(Keys.SOURCES)) {
                boolean settled = !failed.contains(source.toString());
                if (!settled) {
                    LOG.warn("verify: {}: its mirror is not checked: the last run of it failed, and what it changed "
                            + "there no manifest records yet (its next successful run does)", source);
                }
                v.check(new Archive(source, settings.get(Keys.MAIN_ROOT), settings.get(Keys.DELETED_ROOT)), settled);
            }
            for (Verifier.Damage d : v.damaged()) {
                LOG.error("verify: DAMAGED {}", d.describe());
            }
            remember(v.damaged());
            String how = v.checked() + " entr" + (v.checked() == 1 ? "y" : "ies") + " checked, " + v.read()
                    + " file(s) read whole (" + Units.bytes(v.bytesRead()) + ")" + (v.unrecorded() == 0 ? ""
                    : ", " + v.unrecorded() + " version(s) in the deleted area no manifest recorded (not judged)");
            if (v.damaged().isEmpty()) {
                LOG.info("verify: all is well: {}", how);
            } else {
                LOG.error("verify: {} damaged or missing: {}", v.damaged().size(), how);
            }
            if (metrics != null) {
                metrics.verified(Clocks.clock().instant().getEpochSecond(), v.checked(), v.bytesRead(),
                        v.damaged().size());
            }
            return v.damaged().isEmpty() ? 0 : DAMAGED;
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }

    /** The sources whose last run (by the reports) failed: a sync that stopped part way has changed their mirrors. */
    private Set<String> lastFailed() {
        Map<String, DirectoryStatus> last = new HashMap<>();
        Report.all(settings.get(Keys.LOG_DIR), (f, e) -> { }).values().stream().filter(r -> !r.dryRun())
                .flatMap(r -> r.directories().stream()).forEach(d -> last.put(d.source(), d.status()));
        Set<String> failed = new HashSet<>();
        last.forEach((source, status) -> {
            if (status == DirectoryStatus.FAILED || status == DirectoryStatus.RUNNING) {
                failed.add(source);
            }
        });
        return failed;
    }

    /** The mirror's damaged files, by source, for the next run to copy again. */
    private void remember(List<Verifier.Damage> damaged) throws IOException {
        Map<String, List<Verifier.Damage>> bySource = new LinkedHashMap<>();
        for (Verifier.Damage d : damaged) {
            if (d.inMirror()) {
                bySource.computeIfAbsent(d.source(), k -> new ArrayList<>()).add(d);
            }
        }
        for (var e : bySource.entrySet()) {
            Path file = Layout.damagedFile(settings.get(Keys.MAIN_ROOT), Path.of(e.getKey()));
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (Verifier.Damage d : e.getValue()) {
                lines.append(d.rel()).append('\n');
            }
            Files.writeString(file, lines, ListedNames.BYTES);
        }
    }
}
