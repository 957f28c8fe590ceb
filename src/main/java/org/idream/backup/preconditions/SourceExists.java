package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source exists and is a directory the user can read ({@code find SRC -maxdepth 0 -type d -readable}),
 * checked for each directory as it starts: one that is missing or unreadable fails alone.
 */
final class SourceExists implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    @Override
    public String name() {
        return "source-exists";
    }

    @Override
    public List<String> command(Subject subject) {
        String source = subject.source().toString();
        return List.of("find", source, "-maxdepth", "0", "-type", "d", "-readable", "-executable");
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        Path source = subject.source();
        if (r.exit() == 0 && !r.out().isBlank()) {
            LOG.info("precondition {}: {} exists", name(), source);
            return true;
        }
        if (!r.timedOut() && r.err().contains("No such file or directory")) {
            throw new SourceMissing("MISSING: the source does not exist (renamed or removed?): not backed up; its "
                    + "mirror and its versions in the deleted area are kept as they are");
        }
        String why = r.timedOut() ? "timed out" : r.exit() != 0 ? r.firstLine() : "not a directory the user "
                + System.getProperty("user.name") + " can read";
        throw new Failure(RunOutcome.FAILED, "precondition " + name() + ": the source cannot be read: " + why);
    }
}
