package org.idream.backup.preconditions;

import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source exists and is a directory the user can read: {@code find SRC -maxdepth 0 -type d -readable}. */
final class SourceExists implements Check {
    static final String HEADER = "source";
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    @Override
    public String name() {
        return "source-exists";
    }

    @Override
    public List<String> command(Exchange exchange) {
        String source = exchange.getIn().getHeader(HEADER, String.class);
        return List.of("find", source, "-maxdepth", "0", "-type", "d", "-readable", "-executable");
    }

    @Override
    public void judge(Exchange exchange, Result r) {
        String source = exchange.getIn().getHeader(HEADER, String.class);
        if (r.exit() == 0 && !r.out().isBlank()) {
            LOG.info("precondition {}: {} exists", name(), source);
            return;
        }
        String why = r.timedOut() ? "timed out" : r.exit() != 0 ? r.firstLine() : "not a directory the user can read";
        throw new PreconditionFailed("precondition " + name() + ": source " + source + ": " + why);
    }
}
