package org.idream.backup.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.fleet.FleetStore;
import org.idream.backup.fleet.FleetView;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/backup check} (route {@code configuration-check}): what a run checks before it syncs, and
 * nothing else. The run lock is taken and released at once (a run holds it: exit 3), rclone and the
 * exclude file are looked at, the preconditions run, and every source is looked for; the exit code is
 * the one a run would have before its syncs.
 */
public final class CheckSteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public CheckSteps(Settings settings) {
        this.settings = settings;
    }

    /** The run lock, taken and released: is a run going on? */
    public List<String> begin() throws IOException {
        Path file = settings.get(Keys.LOCK_FILE);
        try (RunLock lock = RunLock.acquire(file)) {
            LOG.info("check: no run holds the lock {}", file);
        } catch (RunLock.Held held) {
            throw new Failure(RunOutcome.LOCKED, "a run holds the lock " + file + ": " + held.getMessage());
        } catch (IOException e) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, "cannot take the lock " + Keys.LOCK_FILE.name() + " = "
                    + file + ": " + Failures.plain(e));
        }
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** A fleet: its engine reachable (exit 4 when not), the hosts up, the directories' hosts. */
    public void cluster() {
        if (settings.get(Keys.CLUSTER).none()) {
            return;
        }
        try {
            FleetView view = FleetView.read(settings);
            LOG.info("check: the cluster {} answers; hosts up: {}", view.engine(), view.up().isEmpty() ? "none"
                    : String.join(", ", view.up()));
        } catch (FleetStore.FleetUnavailable e) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, Keys.CLUSTER.name() + " = " + settings.get(Keys.CLUSTER)
                    + ": " + e.getMessage());
        }
    }

    /** The sources, as text, for the split that looks for each. */
    public List<String> sources() {
        return settings.get(Keys.SOURCES).stream().map(Path::toString).toList();
    }

    /** A source that a run would not back up. */
    public void sourceFailed(String source, List<String> problems, Exception e) {
        Failure f = Failures.told(LOG, e, k -> "check: [" + source + "] " + k.getMessage());
        problems.add(source + ": " + f.status().id() + " - " + f.getMessage());
    }

    /** Everything passed (0), or some sources would fail (1). */
    public int passed(List<String> problems) {
        if (problems.isEmpty()) {
            LOG.info("check: passed: a run would start its syncs (exit 0)");
            return 0;
        }
        LOG.error("check: {} of {} source(s) would fail (exit 1)", problems.size(), settings.get(Keys.SOURCES).size());
        return RunOutcome.FAILED.exitCode();
    }

    /** A check a run stops on: its exit code. */
    public int stopped(Exception e) {
        return Failures.told(LOG, e, f -> "check: " + f.getMessage() + " (exit " + f.outcome().exitCode() + ")")
                .outcome().exitCode();
    }
}
