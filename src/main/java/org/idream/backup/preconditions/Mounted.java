package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount point is mounted: {@code mountpoint -q}. Before a mount, "not mounted" only sets the
 * header {@value #HEADER} to false (the route then mounts); after a mount attempt it is a failure,
 * which the mount's redelivery policy retries.
 */
final class Mounted implements Check {
    static final String HEADER = "mounted";
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
    public List<String> command(Exchange exchange) {
        return List.of("mountpoint", "-q", mountPoint.toString());
    }

    @Override
    public void judge(Exchange exchange, Result r) {
        boolean mounted = r.exit() == 0;
        exchange.getIn().setHeader(HEADER, mounted);
        if (mounted) {
            LOG.info("precondition {}: {} is mounted", name(), mountPoint);
        } else if (afterMount) {
            int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
            throw new MountFailed("precondition mount: " + mountPoint + " is still not mounted after attempt "
                    + attempt);
        } else {
            LOG.warn("precondition {}: {} is not mounted; mounting it", name(), mountPoint);
        }
    }
}
