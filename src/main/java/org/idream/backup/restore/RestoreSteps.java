package org.idream.backup.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;
import org.idream.backup.config.ConfigException;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.rclone.RcloneConfigFile;
import org.idream.backup.rclone.RcloneExecutor;
import org.idream.backup.rclone.RcloneFailure;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneProcess;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.TreeSummary;
import org.idream.backup.rclone.Units;
import org.idream.backup.run.RunOutcome;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The steps of the route {@code restore}: check the request (refusals write nothing), take the run
 * lock like a backup (unless {@code --no-lock}), plan, copy each group with {@code rclone copy
 * --links}, copy single files with {@code rclone copyto}, recreate links, verify, tell what was done.
 */
public final class RestoreSteps {
    public static final String PLAN = "restorePlan";
    private static final String LOCK = "restoreLock";
    private static final String SETUP = "restoreRclone";
    private static final String EMPTY_BEFORE = "restoreTargetWasEmpty";
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private final Settings settings;
    private final RestorePlanner planner;

    public RestoreSteps(Settings settings) {
        this.settings = settings;
        this.planner = new RestorePlanner(settings);
    }

    public void begin(Exchange exchange) throws IOException, InterruptedException {
        RestoreRequest request = exchange.getIn().getBody(RestoreRequest.class);
        Path target = request.target().toAbsolutePath().normalize();
        planner.archive(request.path());
        for (var key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
            Path area = org.idream.backup.config.Settings.resolvedPath(settings.get(key));
            Path t = org.idream.backup.config.Settings.resolvedPath(target);
            if (t.startsWith(area) || area.startsWith(t)) {
                throw new RestoreRefused("--to " + target + " is inside the backup area " + key.name() + " = "
                        + settings.get(key) + " (or contains it): restore elsewhere");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RestoreRefused("--to " + target + " is a file, not a folder");
        }
        boolean empty = isEmpty(target);
        if (!empty && !request.force()) {
            throw new RestoreRefused("--to " + target + " is not empty: give --force to restore into it "
                    + "(files there that the restore brings are overwritten)");
        }
        exchange.setProperty(EMPTY_BEFORE, empty);
        if (!request.noLock()) {
            try {
                exchange.setProperty(LOCK, RunLock.acquire(settings.get(Keys.LOCK_FILE)));
            } catch (RunLock.Held held) {
                throw new RestoreLocked("a backup holds the lock " + settings.get(Keys.LOCK_FILE) + " (" + held.getMessage()
                        + "): wait for it, or give --no-lock for a read-only restore to another disk");
            }
        }
        String binary = settings.get(Keys.RCLONE_BINARY);
        exchange.setProperty(SETUP, new RcloneSetup(binary, RcloneConfigFile.locate(binary).existing(), Optional.empty()));
        RestoreRequest absolute = new RestoreRequest(request.path(), target, request.asOf(), request.dryRun(),
                request.force(), request.noLock());
        RestorePlan plan = planner.plan(absolute);
        exchange.setProperty(PLAN, plan);
        LOG.info("restore: {} to {}", plan.what(), target);
        if (plan.compareWith == null) {
            LOG.info("restore: {} file(s), {}", plan.files, Units.bytes(plan.bytes));
        }
        for (Map.Entry<String, long[]> e : plan.perSource.entrySet()) {
            LOG.info("restore:   {} file(s), {} from {}", e.getValue()[0], Units.bytes(e.getValue()[1]), e.getKey());
        }
        if (request.dryRun()) {
            LOG.info("restore: dry run: nothing copied");
            plan.groups.clear();
            plan.singles.clear();
            plan.links.clear();
        } else {
            Files.createDirectories(target);
        }
    }

    /** The argument list of {@code rclone copy} for one group (the split's element). */
    public void prepareCopy(Exchange exchange) {
        RestorePlan.Group group = exchange.getIn().getBody(RestorePlan.Group.class);
        RestorePlan plan = exchange.getProperty(PLAN, RestorePlan.class);
        RcloneSetup setup = exchange.getProperty(SETUP, RcloneSetup.class);
        List<String> args = new ArrayList<>(List.of("copy", group.root().toString(), plan.target().toString(),
                "--links"));
        if (group.list() != null) {
            args.addAll(List.of("--files-from-raw", group.list().toString(), "--no-traverse"));
        }
        args.addAll(setup.configFlags());
        args.addAll(RcloneSetup.jsonLogFlags("INFO"));
        args.addAll(List.of("--stats", settings.get(Keys.PROGRESS_INTERVAL).toSeconds() + "s", "--stats-log-level",
                "NOTICE"));
        exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
        MDC.put(RcloneExecutor.DIRECTORY, "restore");
        LOG.info("restore: copying from {}", group.from());
    }

    public void inspectCopy(Exchange exchange) throws IOException {
        MDC.remove(RcloneExecutor.DIRECTORY);
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        if (result.getExitValue() != 0) {
            throw new RcloneFailure(result.getExitValue(), read(result.getStderr()).replace('\n', ';'));
        }
    }

    /** Single files, links, then the check that the target holds what was planned. Body: the exit code. */
    public int finish(Exchange exchange) throws IOException, InterruptedException {
        RestorePlan plan = exchange.getProperty(PLAN, RestorePlan.class);
        RcloneSetup setup = exchange.getProperty(SETUP, RcloneSetup.class);
        RcloneLog log = new RcloneLog("restore", s -> { });
        for (RestorePlan.Single single : plan.singles) {
            Files.createDirectories(single.to().getParent());
            List<String> argv = new ArrayList<>(List.of(setup.binary(), "copyto", single.from().toString(),
                    single.to().toString()));
            argv.addAll(setup.configFlags());
            argv.addAll(RcloneSetup.jsonLogFlags("INFO"));
            int code = RcloneProcess.run(argv, RcloneProcess::discard, log);
            if (code != 0) {
                throw new RcloneFailure(code, "copying " + single.from());
            }
        }
        for (RestorePlan.Link link : plan.links) {
            Files.createDirectories(link.at().getParent());
            Files.deleteIfExists(link.at());
            Files.createSymbolicLink(link.at(), Path.of(link.target()));
        }
        boolean dryRun = plan.groups.isEmpty() && plan.singles.isEmpty() && plan.links.isEmpty();
        if (dryRun) {
            return 0;
        }
        if (!exchange.getProperty(EMPTY_BEFORE, Boolean.class)) {
            LOG.info("restore: done into a folder that was not empty: not verified");
            return plan.unnamed.isEmpty() ? 0 : RunOutcome.FAILED.exitCode();
        }
        RcloneListing listing = new RcloneListing(setup);
        TreeSummary got = listing.summarize(plan.target(), log);
        TreeSummary expected = plan.compareWith != null ? listing.summarize(plan.compareWith, log)
                : plan.expected.build();
        if (!got.sameAs(expected)) {
            throw new RestoreFailed("the restored tree does not match: expected " + expected.describe() + ", got "
                    + got.describe());
        }
        LOG.info("restore: done and verified: {} in {}", got.describe(), plan.target());
        if (!plan.unnamed.isEmpty()) {
            throw new RestoreFailed(plan.unnamed.size() + " file(s) with names that are not valid UTF-8 were not "
                    + "restored (copy them by hand, e.g. with cp, from the mirror or the deleted area): "
                    + plan.unnamed.stream().limit(10).map(n -> n.replaceAll("[^\\x20-\\x7e]", "?")).toList());
        }
        return 0;
    }

    /** The restore stopped: one clear line; the exit code as the body. */
    public int failed(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RestoreRefused || c instanceof ConfigException || c instanceof IllegalArgumentException) {
                LOG.error("restore refused: {}", c.getMessage());
                return RunOutcome.CONFIG_ERROR.exitCode();
            }
            if (c instanceof RestoreLocked) {
                LOG.error("restore refused: {}", c.getMessage());
                return RunOutcome.LOCKED.exitCode();
            }
            if (c instanceof RestoreFailed || c instanceof RcloneFailure) {
                LOG.error("restore failed: {}", c.getMessage());
                return RunOutcome.FAILED.exitCode();
            }
        }
        LOG.error("restore failed: {}", t == null ? "unknown error" : t.toString(), t);
        return RunOutcome.FAILED.exitCode();
    }

    /** Releases the lock, removes the lists of files. */
    public void close(Exchange exchange) throws IOException {
        RunLock lock = exchange.getProperty(LOCK, RunLock.class);
        if (lock != null) {
            lock.close();
        }
        RestorePlan plan = exchange.getProperty(PLAN, RestorePlan.class);
        if (plan != null) {
            for (RestorePlan.Group g : plan.groups) {
                if (g.list() != null) {
                    Files.deleteIfExists(g.list());
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A backup holds the lock (exit 3). */
    static final class RestoreLocked extends RuntimeException {
        RestoreLocked(String message) {
            super(message);
        }
    }
}
