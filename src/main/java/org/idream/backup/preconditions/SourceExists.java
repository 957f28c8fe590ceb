package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source exists and is a directory the user can read: {@code find SRC -maxdepth 0 -type d -readable}. */
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
        String why = r.timedOut() ? "timed out" : r.exit() != 0 ? r.firstLine() : "not a directory the user can read";
        throw new PreconditionFailed("precondition " + name() + ": source " + source + ": " + why);
    }
}
