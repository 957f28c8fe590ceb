package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.process.ProcessRunner;
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
    public List<String> command(Subject subject) {
        List<String> argv = new ArrayList<>(List.of("mount"));
        if (!fstab.equals(Path.of("/etc/fstab"))) {
            argv.addAll(List.of("-T", fstab.toString()));
        }
        argv.add(mountPoint.toString());
        return argv;
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        int attempt = subject.attempt();
        if (r.exit() == 0) {
            LOG.info("precondition {}: attempt {} of {}: mount {} succeeded", name(), attempt, attempts, mountPoint);
        } else {
            LOG.warn("precondition {}: attempt {} of {}: mount {} failed (exit {}): {}", name(), attempt, attempts,
                    mountPoint, r.exit(), r.firstLine());
        }
        return r.exit() == 0;
    }
}
