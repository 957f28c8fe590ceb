package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to mount: {@code mount [-T FSTAB] MOUNTPOINT}. Its result is only logged; whether the
 * file system is mounted afterwards is the next check's question.
 */
final class Mount implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mountPoint;
    private final Path fstab;
    private final int attempts;

    Mount(Path mountPoint, Path fstab, int attempts) {
        this.mountPoint = mountPoint;
        this.fstab = fstab;
        this.attempts = attempts;
    }

    @Override
    public String name() {
        return "mount";
    }

    @Override
    public List<String> command(Exchange exchange) {
        List<String> argv = new ArrayList<>(List.of("mount"));
        if (!fstab.equals(Path.of("/etc/fstab"))) {
            argv.addAll(List.of("-T", fstab.toString()));
        }
        argv.add(mountPoint.toString());
        return argv;
    }

    @Override
    public void judge(Exchange exchange, Result r) {
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        if (r.exit() == 0) {
            LOG.info("precondition {}: attempt {} of {}: mount {} succeeded", name(), attempt, attempts, mountPoint);
        } else {
            LOG.warn("precondition {}: attempt {} of {}: mount {} failed (exit {}): {}", name(), attempt, attempts,
                    mountPoint, r.exit(), r.firstLine());
        }
    }
}
