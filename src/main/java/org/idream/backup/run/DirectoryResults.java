package org.idream.backup.run;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.sync.DirectoryJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the split's per-directory exchanges into the run: says how many directories are done as each
 * finishes, and turns an exception that escaped a directory's route into that directory's failure, so
 * that one broken directory never stops the others or hides its result. The split's result is the run's
 * own exchange, untouched ({@link #aggregate(Exchange, Exchange, Exchange)} returns it), so nothing of a
 * directory's failure reaches the run route: its results are in the directories' records. (A Camel piece:
 * the split's aggregation strategy.)
 */
public final class DirectoryResults implements AggregationStrategy {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final String FINISHED = "directoriesFinished";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        BackupRun run = newExchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        DirectoryJob job = newExchange.getProperty(DirectoryJob.PROPERTY, DirectoryJob.class);
        DirectoryRun d = job != null ? job.directory() : newExchange.getIn().getBody(DirectoryRun.class);
        if (d != null && newExchange.getException() != null) {
            DirectorySteps.record(d, newExchange.getException());
        }
        int done = inputExchange.getProperty(FINISHED, 0, Integer.class) + 1;
        inputExchange.setProperty(FINISHED, done); // the split aggregates one directory at a time
        if (d != null && run != null) {
            LOG.info("{} of {} directories finished ({} {})", done, run.directories().size(), d.tag(), d.status().id());
        }
        return inputExchange;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("the split hands over its input exchange");
    }
}
