package org.idream.backup.preconditions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.idream.backup.config.Keys;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup disk can be written: {@code test -w} of backup.main-root and backup.deleted-root (each, or the
 * nearest folder above it that exists: where it would be made), as this process. A disk the kernel remounted
 * read-only after an error, or one mounted read-only by hand, stops the run here (exit 4), before a sync or a
 * record is begun, with one line saying so.
 */
final class DestinationWritable implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mainRoot;
    private final Path deletedRoot;

    DestinationWritable(Path mainRoot, Path deletedRoot) {
        this.mainRoot = mainRoot;
        this.deletedRoot = deletedRoot;
    }

    @Override
    public String name() {
        return "destination-writable";
    }

    /** The nearest existing folder of {@code p}: where it is, or would be created. */
    static Path existing(Path p) {
        while (p.getParent() != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p;
    }

    @Override
    public List<String> command(Subject subject) {
        return List.of("test", "-w", existing(mainRoot).toString(), "-a", "-w", existing(deletedRoot).toString());
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        if (r.exit() == 0) {
            LOG.info("precondition {}: {} and {} can be written", name(), mainRoot, deletedRoot);
            return true;
        }
        Map<String, List<String>> why = new LinkedHashMap<>();      // the reason: the roots it holds for
        for (var root : Map.of(Keys.MAIN_ROOT.name(), mainRoot, Keys.DELETED_ROOT.name(), deletedRoot).entrySet()
                .stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
            Path at = existing(root.getValue());
            if (!Files.isWritable(at)) {
                why.computeIfAbsent(reason(at), k -> new ArrayList<>()).add(root.getKey() + " = " + root.getValue()
                        + (at.equals(root.getValue()) ? "" : " (its folder " + at + ")"));
            }
        }
        List<String> told = new ArrayList<>();
        why.forEach((reason, roots) -> told.add(String.join(" and ", roots) + ": " + reason));
        throw new PreconditionFailed("precondition " + name() + ": the backup disk cannot be written: "
                + (told.isEmpty() ? "test -w exited " + r.exit() : String.join("; ", told)));
    }

    private static String reason(Path at) {
        try {
            if (Files.getFileStore(at).isReadOnly()) {
                return "read-only file system (mounted read-only: after a disk error, or by hand)";
            }
        } catch (IOException e) {
            return "cannot be examined: " + e.getMessage();
        }
        return "not writable by this user (" + System.getProperty("user.name") + ")";
    }
}
