package org.idream.backup.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Units;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.rclone.RcloneConfigFile;
import org.idream.backup.rclone.RcloneCopy;
import org.idream.backup.rclone.LinkLookalikes;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.safety.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the route {@code restore}: check the request (refusals write nothing), take the run
 * lock like a backup (unless {@code --no-lock}), plan, copy each group with {@code rclone copy
 * --links}, copy single files with {@code rclone copyto}, recreate links, verify, tell what was done.
 */
public final class RestoreSteps {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private final Settings settings;
    private final RestorePlanner planner;

    public RestoreSteps(Settings settings) {
        this.settings = settings;
        this.planner = new RestorePlanner(settings);
    }

    /** The request, checked: refused (exit 2) before anything is written; its target made absolute. */
    public RestoreRequest check(RestoreRequest request) throws IOException {
        Path target = request.target().toAbsolutePath().normalize();
        planner.archive(request.path());
        for (var key : List.of(Keys.MAIN_ROOT, Keys.DELETED_ROOT)) {
            Path area = Settings.resolvedPath(settings.get(key));
            Path t = Settings.resolvedPath(target);
            if (t.startsWith(area) || area.startsWith(t)) {
                throw new RestoreRefused("--to " + target + " is inside the backup area " + key.name() + " = "
                        + settings.get(key) + " (or contains it): restore elsewhere");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RestoreRefused("--to " + target + " is a file, not a folder");
        }
        if (!isEmpty(target) && !request.force()) {
            throw new RestoreRefused("--to " + target + " is not empty: give --force to restore into it "
                    + "(files there that the restore brings are overwritten)");
        }
        return new RestoreRequest(request.path(), target, request.asOf(), request.dryRun(), request.force(),
                request.noLock(), request.cephAttributes());
    }

    /** The run lock, as a backup takes it (exit 3 while a backup holds it); none with --no-lock. */
    public RunLock lock(RestoreRequest request) throws IOException {
        if (request.noLock()) {
            return null;
        }
        try {
            return RunLock.acquire(settings.get(Keys.LOCK_FILE));
        } catch (RunLock.Held held) {
            throw new Failure(RunOutcome.LOCKED, "a backup holds the lock " + settings.get(Keys.LOCK_FILE) + " ("
                    + held.getMessage() + "): wait for it, or give --no-lock for a read-only restore to another disk");
        }
    }

    /** What is copied from where; in a dry run, only said. */
    public RestorePlan plan(RestoreRequest request) throws IOException, InterruptedException {
        String binary = settings.get(Keys.RCLONE_BINARY);
        boolean empty = isEmpty(request.target());
        RestorePlan plan = planner.plan(request);
        plan.rclone = new RcloneSetup(binary, RcloneConfigFile.locate(binary).existing());
        plan.targetWasEmpty = empty;
        LOG.info("restore: {} to {}", plan.what(), request.target());
        if (plan.compareWith == null) {
            LOG.info("restore: {} file(s), {}", plan.files, Units.bytes(plan.bytes));
        }
        for (Map.Entry<String, long[]> e : plan.perSource.entrySet()) {
            LOG.info("restore:   {} file(s), {} from {}", e.getValue()[0], Units.bytes(e.getValue()[1]), e.getKey());
        }
        plan.dryRun = request.dryRun();
        plan.cephAttributes = request.cephAttributes();
        if (request.dryRun()) {
            LOG.info("restore: dry run: nothing copied");
            plan.groups.clear();
            plan.singles.clear();
            plan.links.clear();
        } else {
            Files.createDirectories(request.target());
        }
        return plan;
    }

    /** One group of files: {@code rclone copy} from its root into the target. */
    public void copy(RestorePlan.Group group, RestorePlan plan)
            throws IOException, InterruptedException {
        LOG.info("restore: copying from {}", group.from());
        copier(plan).copy(group.root(), plan.target(), group.list());
    }

    /**
     * Files and trees whose path rclone cannot be given (copied by Java, byte for byte), a single-file
     * restore's file, and links.
     */
    public void copySinglesAndLinks(RestorePlan plan) throws IOException {
        for (RestorePlan.Single single : plan.singles) {
            copy(single.from(), single.to());
        }
        for (RestorePlan.Link link : plan.links) {
            Files.createDirectories(link.at().getParent());
            Files.deleteIfExists(link.at());
            Names.symlink(link.at(), link.target());
        }
    }

    /** Copies a file, or a whole tree (its folders, files and links), keeping every name's bytes. */
    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path at = to.resolve(from.relativize(file));
                if (attrs.isSymbolicLink()) {
                    Files.deleteIfExists(at);
                    Names.symlink(at, Names.readLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, at, StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Owners, groups, modes and modification times as the manifest recorded them (and the empty folders
     * it recorded); what could not be set (not root) is said in one WARNING.
     */
    public void attributes(RestorePlan plan) throws IOException {
        if (plan.dryRun) {
            return;
        }
        if (plan.attributes == null || ManifestReader.header(plan.attributes.file()).version() < Manifest.OWNERS_VERSION) {
            LOG.warn("restore: owners, groups and modes are not restored: {}", plan.attributes == null
                    ? "no run has recorded them" : "the manifest of the run of " + plan.attributes.run()
                    + " has none (written by an older version)");
            return;
        }
        Attributes a = new Attributes(plan.target(), plan.cephAttributes);
        Map<Long, Path> linkGroups = new HashMap<>();
        long[] linked = {0};
        ManifestReader.read(plan.attributes.file(), e -> {
            String in = RestorePlanner.inTarget(e.fileSystemPath(), plan.rel, e.directory());
            if (in != null) {
                try {
                    Path at = Names.resolveListed(plan.target(), in);
                    if (e.linkGroup() != null && Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS)) {
                        // the names of one file in the source: one file again (the mirror keeps copies)
                        Path first = linkGroups.putIfAbsent(e.linkGroup(), at);
                        if (first != null && Files.isRegularFile(first, LinkOption.NOFOLLOW_LINKS)
                                && !Files.isSameFile(first, at)) {
                            Files.delete(at);
                            Files.createLink(at, first);
                            linked[0]++;
                        }
                    }
                    a.apply(e, at);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        });
        a.finish();
        if (linked[0] > 0) {
            LOG.info("restore: {} name(s) made hard links again, as the source had them", linked[0]);
        }
        LOG.info("restore: owners, groups, modes, ACLs, attributes and times of {} entr{} set as the run of {} recorded them{}", a.set,
                a.set == 1 ? "y" : "ies", plan.attributes.run(), a.skipped == 0 ? ""
                        : " (" + a.skipped + " entr" + (a.skipped == 1 ? "y is" : "ies are") + " no longer what it "
                        + "recorded: left as restored)");
        List<String> misses = a.misses();
        if (!misses.isEmpty()) {
            LOG.warn("restore: could not set {} (giving files to other owners takes root with the CAP_CHOWN "
                    + "capability; this restore runs as {})", String.join("; ", misses), System.getProperty("user.name"));
        }
    }

    /** The check that the target holds what was planned. The exit code. */
    public int verify(RestorePlan plan) throws IOException, InterruptedException {
        if (plan.dryRun) {
            return 0;
        }
        if (!plan.targetWasEmpty) {
            LOG.info("restore: done into a folder that was not empty: not verified");
            return 0;
        }
        RcloneLog log = new RcloneLog("restore", s -> { });
        Path apart = plan.lookalikes.isEmpty() ? null : LinkLookalikes.excludeFile(plan.lookalikes);
        TreeSummary got;
        TreeSummary expected;
        try {
            // files named *.rclonelink (copied by Java) are not what rclone lists: checked by Java below
            RcloneListing listing = new RcloneListing(apart == null ? plan.rclone : plan.rclone.apart(apart));
            got = listing.summarize(plan.target(), log);
            expected = plan.compareWith != null ? listing.summarize(plan.compareWith, log) : plan.expected.build();
        } finally {
            if (apart != null) {
                Files.deleteIfExists(apart);
            }
        }
        for (String rel : plan.apartFiles) {
            if (!Files.isRegularFile(Names.resolveListed(plan.target(), rel), LinkOption.NOFOLLOW_LINKS)) {
                throw new RestoreFailed("the restored tree does not hold " + ListedNames.escaped(rel));
            }
        }
        if (!got.sameAs(expected)) {
            throw new RestoreFailed("the restored tree does not match: expected " + expected.describe() + ", got "
                    + got.describe());
        }
        LOG.info("restore: done and verified: {} in {}", got.describe(), plan.target());
        return 0;
    }

    /** The restore stopped: one clear line; the exit code. */
    public int failed(Exception e) {
        return Failures.told(LOG, e, f -> (f.outcome() == RunOutcome.FAILED ? "restore failed: " : "restore refused: ")
                + f.getMessage()).outcome().exitCode();
    }

    /** Releases the lock, removes the lists of files. */
    public void close(RunLock lock, RestorePlan plan)
            throws IOException {
        if (lock != null) {
            lock.close();
        }
        if (plan != null) {
            for (RestorePlan.Group g : plan.groups) {
                if (g.list() != null) {
                    Files.deleteIfExists(g.list());
                }
            }
        }
    }

    private RcloneCopy copier(RestorePlan plan) {
        return new RcloneCopy(plan.rclone, settings.get(Keys.PROGRESS_INTERVAL));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }
}
