package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.config.Keys;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The mount point has an entry in the fstab ({@code ceph.fstab}): {@code findmnt --fstab}. */
final class FstabEntry implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mountPoint;
    private final Path fstab;

    FstabEntry(Path mountPoint, Path fstab) {
        this.mountPoint = mountPoint;
        this.fstab = fstab;
    }

    @Override
    public String name() {
        return "fstab-entry";
    }

    @Override
    public List<String> command(Subject subject) {
        return List.of("findmnt", "--fstab", "--tab-file", fstab.toString(), "--mountpoint", mountPoint.toString(),
                "--noheadings", "--output", "SOURCE,FSTYPE");
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        if (r.exit() == 0) {
            LOG.info("precondition {}: {} has an entry in {} ({})", name(), mountPoint, fstab, r.out().strip());
            return true;
        }
        throw new PreconditionFailed("precondition " + name() + ": no entry for " + mountPoint + " in " + fstab
                + " (" + Keys.CEPH_FSTAB.name() + ")" + (r.err().isBlank() ? "" : ": " + r.firstLine()));
    }
}
