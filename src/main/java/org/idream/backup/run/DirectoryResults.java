package org.idream.backup.run;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates the split's per-directory exchanges into the run: counts them as they finish, and turns
 * an exception that escaped a directory's route into that directory's failure, so that one broken
 * directory never stops the others or hides its result.
 */
public final class DirectoryResults implements AggregationStrategy {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        BackupRun run = newExchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        DirectoryRun d = newExchange.getProperty(DirectorySteps.PROPERTY, DirectoryRun.class);
        if (d == null) {
            d = newExchange.getIn().getBody(DirectoryRun.class);
        }
        if (newExchange.getException() != null) {
            if (d != null) {
                DirectorySteps.brokeUnexpectedly(d, newExchange.getException());
            }
            newExchange.setException(null);
        }
        if (d != null && run != null) {
            LOG.info("{} of {} directories finished ({} {})", run.finished(), run.getDirectories().size(),
                    d.tag(), d.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return oldExchange == null ? clean(newExchange.copy()) : oldExchange;
    }

    /**
     * The split's result carries on through the run route: it must not carry a directory's handled
     * failure with it (Camel would stop the run route there, skipping retention).
     */
    private static Exchange clean(Exchange result) {
        result.setException(null);
        result.getExchangeExtension().setErrorHandlerHandled(null);
        result.getExchangeExtension().setRedeliveryExhausted(false);
        result.getExchangeExtension().setFailureHandled(false);
        result.removeProperty(Exchange.EXCEPTION_CAUGHT);
        result.removeProperty(Exchange.FAILURE_ENDPOINT);
        result.removeProperty(Exchange.FAILURE_ROUTE_ID);
        return result;
    }
}
