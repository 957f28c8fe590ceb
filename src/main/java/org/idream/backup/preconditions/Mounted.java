package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount point is mounted: {@code mountpoint -q}. Before a mount, "not mounted" is only a check that
 * did not pass (the route then mounts); after a mount attempt it is a failure, which the mount's
 * redelivery policy retries.
 */
final class Mounted implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mountPoint;
    private final boolean afterMount;

    Mounted(Path mountPoint, boolean afterMount) {
        this.mountPoint = mountPoint;
        this.afterMount = afterMount;
    }

    @Override
    public String name() {
        return afterMount ? "mounted-after-mount" : "mounted";
    }

    @Override
    public List<String> command(Subject subject) {
        return List.of("mountpoint", "-q", mountPoint.toString());
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        boolean mounted = r.exit() == 0;
        if (mounted) {
            LOG.info("precondition {}: {} is mounted", name(), mountPoint);
        } else if (afterMount) {
            throw new MountFailed("precondition mount: " + mountPoint + " is still not mounted after attempt "
                    + subject.attempt());
        } else {
            LOG.warn("precondition {}: {} is not mounted; mounting it", name(), mountPoint);
        }
        return mounted;
    }
}
