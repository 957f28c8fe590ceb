package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running user can list the mount point: {@code ls}. */
final class Listable implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mountPoint;

    Listable(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    @Override
    public String name() {
        return "listable";
    }

    @Override
    public List<String> command(Subject subject) {
        return List.of("ls", "-A", "--", mountPoint.toString());
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        if (r.exit() == 0) {
            LOG.info("precondition {}: {} can be listed ({} entries)", name(), mountPoint, r.out().lines().count());
            return true;
        }
        throw new PreconditionFailed("precondition " + name() + ": user " + System.getProperty("user.name")
                + " cannot list " + mountPoint + (r.timedOut() ? ": timed out" : ": " + r.firstLine()));
    }
}
