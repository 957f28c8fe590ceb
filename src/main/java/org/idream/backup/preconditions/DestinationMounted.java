package org.idream.backup.preconditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.idream.backup.config.Keys;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code backup.require-mounted-destination=true}: the backup root is not on the root file
 * system, i.e. the backup disk is mounted. Otherwise a missing disk would be "backed up to" the
 * system disk until it fills.
 */
final class DestinationMounted implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mainRoot;

    DestinationMounted(Path mainRoot) {
        this.mainRoot = mainRoot;
    }

    @Override
    public String name() {
        return "destination-mounted";
    }

    /** The nearest existing folder of main-root: where it is, or would be created. */
    private Path existing() {
        Path p = mainRoot;
        while (p.getParent() != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p;
    }

    @Override
    public List<String> command(Subject subject) {
        return List.of("findmnt", "--noheadings", "--output", "TARGET", "--target", existing().toString());
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        String target = r.out().strip();
        if (r.exit() == 0 && !target.isEmpty() && !target.equals("/")) {
            LOG.info("precondition {}: {} is on the file system mounted at {}", name(), mainRoot, target);
            return true;
        }
        throw new PreconditionFailed("precondition " + name() + ": " + mainRoot + " would be written to the root "
                + "file system: the backup disk is not mounted (" + Keys.REQUIRE_MOUNTED_DESTINATION.name() + "=true)");
    }
}
