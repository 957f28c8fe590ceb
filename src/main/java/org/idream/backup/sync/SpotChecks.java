package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;

/**
 * The whole-tree check of a change-guided run that costs no walk: a random sample of the files and links of
 * the run's manifest (reservoir sampling, as the manifest is read or written), each of which must be in the
 * mirror as recorded (a mirror damaged or emptied behind the tool's back fails the directory).
 */
final class SpotChecks {
    /** How many of the manifest's files and links are checked. */
    static final int SIZE = 64;
    private final Random random;
    private final List<ManifestEntry> sample = new ArrayList<>();
    private long offered;

    /** @param random seeded by the run, so that a run's checks can be told again */
    SpotChecks(Random random) {
        this.random = random;
    }

    /** An entry of the manifest; folders are not sampled. */
    void offer(ManifestEntry e) {
        if (e.directory()) {
            return;
        }
        offered++;
        if (sample.size() < SIZE) {
            sample.add(e);
        } else {
            long j = (long) (random.nextDouble() * offered);
            if (j < SIZE) {
                sample.set((int) j, e);
            }
        }
    }

    /** What the mirror holds otherwise than the sampled entries say, one line each; empty when all is as recorded. */
    List<String> problems(Path mirror) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ManifestEntry e : sample) {
            String path = ListedNames.escaped(e.fileSystemPath());
            Path at = Names.resolveListed(mirror, e.fileSystemPath());
            if (at != null && !(e.link() ? Files.isSymbolicLink(at)
                    : Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS) && Files.size(at) == e.size())) {
                problems.add("the mirror's " + path + " is not what the manifest says (" + e.size() + " bytes"
                        + (e.link() ? ", a link" : "") + ")");
            }
        }
        return problems;
    }
}
