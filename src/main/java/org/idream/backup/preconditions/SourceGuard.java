package org.idream.backup.preconditions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The empty-mount guard (SPEC §2 step 9), before each sync: a source that is empty, or not on the
 * configured mount, while its mirror holds files, is refused. A plain {@code rclone sync} from an
 * unmounted or emptied source would move the entire mirror into the deleted area.
 *
 * <p>Two checks, each one external command (a stat on a hung network mount must not hang the run):
 * {@code findmnt --target SRC} for the mount, {@code find SRC -mindepth 1 -maxdepth 1 -print -quit}
 * for emptiness.
 */
final class SourceGuard implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final boolean mountCheck;
    private final Optional<Path> mountPoint;

    private SourceGuard(boolean mountCheck, Optional<Path> mountPoint) {
        this.mountCheck = mountCheck;
        this.mountPoint = mountPoint;
    }

    /** The source is on the configured mount point itself, not on another file system. */
    static SourceGuard onMount(Path mountPoint) {
        return new SourceGuard(true, Optional.of(mountPoint));
    }

    /** The source holds at least one entry. */
    static SourceGuard notEmpty() {
        return new SourceGuard(false, Optional.empty());
    }

    @Override
    public String name() {
        return mountCheck ? "source-on-mount" : "source-not-empty";
    }

    @Override
    public List<String> command(Subject subject) {
        String source = subject.source().toString();
        return mountCheck
                ? List.of("findmnt", "--noheadings", "--output", "TARGET", "--target", source)
                : List.of("find", source, "-mindepth", "1", "-maxdepth", "1", "-print", "-quit");
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        String problem = null;
        if (r.exit() != 0 || r.timedOut()) {
            problem = "cannot be read (" + (r.timedOut() ? "timed out" : r.firstLine()) + ")";
        } else if (mountCheck) {
            Path target = Path.of(r.out().strip());
            if (!target.equals(mountPoint.get())) {
                problem = "is not on the mount " + mountPoint.get() + " but on " + target;
            }
        } else if (r.out().isEmpty()) {
            problem = "is empty";
        }
        if (problem == null) {
            LOG.debug("[{}] guard {}: ok", subject.source(), name());
            return true;
        }
        if (!holdsFiles(subject.mirror())) {
            LOG.warn("[{}] the source {}; its mirror is empty, so nothing can be lost: syncing", subject.source(), problem);
            return true;
        }
        throw new SourceRefused("REFUSED: the source " + problem + " while its mirror " + subject.mirror()
                + " holds files; a sync would move the whole mirror into the deleted area. Not synced; the mirror "
                + "is untouched. Check the mount; if the source was emptied on purpose, move the mirror aside by hand");
    }

    private static boolean holdsFiles(Path mirror) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(mirror)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return Files.exists(mirror);
        }
    }
}
