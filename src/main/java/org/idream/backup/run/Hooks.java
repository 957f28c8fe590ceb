package org.idream.backup.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.config.Key;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks around a run ({@code backup.hook.before}, {@code .after}, {@code .on-failure}), run by the route
 * {@code hook} through camel-exec as {@code env -- CEPH_BACKUP_...=... COMMAND ARGS}: without a shell, the run's
 * outcome and files in the command's environment. What each hook's result means: a failing {@code before} stops
 * the run as a failed precondition (exit 4); {@code after} and {@code on-failure} only warn, the run's exit code
 * stays.
 */
public final class Hooks {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String ON_FAILURE = "on-failure";
    private final Settings settings;

    public Hooks(Settings settings) {
        this.settings = settings;
    }

    private static Key<List<String>> key(String hook) {
        return switch (hook) {
            case BEFORE -> Keys.HOOK_BEFORE;
            case AFTER -> Keys.HOOK_AFTER;
            case ON_FAILURE -> Keys.HOOK_ON_FAILURE;
            default -> throw new IllegalArgumentException("no hook named '" + hook + "'");
        };
    }

    public boolean configured(String hook) {
        return !settings.get(key(hook)).isEmpty();
    }

    /** Which hook ends a run: {@code after} when it succeeded, else {@code on-failure}. */
    public String after(BackupRun run) {
        return run != null && run.outcome() == RunOutcome.SUCCESS ? AFTER : ON_FAILURE;
    }

    /**
     * The arguments of {@code env}: the run in the environment ({@code CEPH_BACKUP_HOOK}, {@code CEPH_BACKUP_RUN},
     * {@code CEPH_BACKUP_OUTCOME} (running before the syncs), {@code CEPH_BACKUP_EXIT_CODE}, {@code CEPH_BACKUP_REPORT},
     * {@code CEPH_BACKUP_LOG}), then the hook's words.
     */
    public List<String> command(String hook, BackupRun run) {
        List<String> args = new ArrayList<>(List.of("--", "CEPH_BACKUP_HOOK=" + hook));
        if (run != null) {
            args.add("CEPH_BACKUP_RUN=" + run.name());
            args.add("CEPH_BACKUP_OUTCOME=" + (run.outcome() == null ? "running" : run.outcome().id()));
            if (run.outcome() != null) {
                args.add("CEPH_BACKUP_EXIT_CODE=" + run.outcome().exitCode());
            }
            if (run.reportFile() != null) {
                args.add("CEPH_BACKUP_REPORT=" + run.reportFile());
            }
            if (run.logFile() != null) {
                args.add("CEPH_BACKUP_LOG=" + run.logFile());
            }
        }
        List<String> words = settings.get(key(hook));
        LOG.info("hook {}: running {} ({} = {})", hook, words.get(0), key(hook).name(), String.join(" ",
                words.stream().map(Hooks::quoted).toList()));
        args.addAll(words);
        return args;
    }

    /** A word as a shell would need it written to mean itself. */
    static String quoted(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** Its output into the run's log, line by line; then what its exit code means. */
    public void judge(String hook, BackupRun run, ProcessRunner.Result r) {
        r.out().lines().forEach(l -> LOG.info("hook {}: {}", hook, l));
        r.err().lines().forEach(l -> LOG.info("hook {} (stderr): {}", hook, l));
        if (r.exit() == 0) {
            LOG.info("hook {}: done (exit 0)", hook);
            return;
        }
        String why = key(hook).name() + " failed: " + switch (r.exit()) {
            case ProcessRunner.TIMED_OUT -> "stopped after " + settings.get(Keys.HOOK_TIMEOUT).toSeconds() + " s ("
                    + Keys.HOOK_TIMEOUT.name() + ")";
            case 127 -> "its command was not found: " + settings.get(key(hook)).get(0);
            case 126 -> "its command cannot be run: " + settings.get(key(hook)).get(0);
            default -> "exit " + r.exit() + lastLine(r);
        };
        if (hook.equals(BEFORE)) {
            throw new Failure(RunOutcome.PRECONDITION_FAILED, why);
        }
        LOG.warn("hook {}: {} (the run's outcome stays {})", hook, why, run == null || run.outcome() == null ? "as it "
                + "was" : run.outcome().id());
    }

    private static String lastLine(ProcessRunner.Result r) {
        List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
        return err.isEmpty() ? "" : ": " + err.get(err.size() - 1).strip();
    }

    /**
     * For {@code check}: each configured hook and whether its program is there (nothing is run). A before hook whose
     * program cannot be found would stop every run: it stops the check as a failed precondition (exit 4); the
     * others are a WARNING.
     */
    public void check() {
        for (String hook : List.of(BEFORE, AFTER, ON_FAILURE)) {
            if (!configured(hook)) {
                continue;
            }
            String program = settings.get(key(hook)).get(0);
            Path found = find(program);
            if (found != null) {
                LOG.info("check: hook {}: {} ({})", hook, String.join(" ", settings.get(key(hook))), found);
            } else if (hook.equals(BEFORE)) {
                throw new Failure(RunOutcome.PRECONDITION_FAILED, key(hook).name() + ": " + program
                        + " is not an executable file or on the PATH");
            } else {
                LOG.warn("check: hook {}: {} is not an executable file or on the PATH", hook, program);
            }
        }
    }

    private static Path find(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
