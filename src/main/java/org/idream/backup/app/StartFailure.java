package org.idream.backup.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.Host;
import org.idream.backup.observe.RunHistory;
import org.idream.backup.observe.RunMetrics;
import org.idream.backup.outcome.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run that could not start (its configuration is invalid: exit 2) is reported where every other
 * outcome is: the failure ping (when its URL is itself valid), and the metrics text file (when its path
 * is). A bare Camel does both, with the same components as the routes (camel-file: a temporary name,
 * then a rename; camel-http).
 */
public final class StartFailure {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private StartFailure() {
    }

    public static void report(RunOutcome outcome, String reason, Optional<String> failureUrl, Optional<Path> textfile,
            Optional<Path> logDir) {
        if (failureUrl.isEmpty() && textfile.isEmpty()) {
            return;
        }
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getComponent("http", HttpComponent.class).setConnectTimeout(10_000);
            camel.getComponent("http", HttpComponent.class).setResponseTimeout(10_000);
            camel.getComponent("https", HttpComponent.class).setConnectTimeout(10_000);
            camel.getComponent("https", HttpComponent.class).setResponseTimeout(10_000);
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            textfile.ifPresent(file -> {
                RunHistory history = new RunHistory();
                logDir.ifPresent(history::load);
                history.failedToStart(outcome, reason, Clocks.clock().instant());
                try {
                    template.sendBodyAndHeader("file:/?tempFileName=.${file:onlyname}.tmp&chmod=644",
                            new RunMetrics(history, textfile).scrape(), Exchange.FILE_NAME, file.toString());
                } catch (RuntimeException e) {
                    LOG.warn("cannot write the metrics file {}: {}", file, e.getMessage());
                }
            });
            failureUrl.ifPresent(url -> {
                try {
                    template.sendBodyAndHeaders(url, "backup run " + outcome.text() + " (exit " + outcome.exitCode()
                            + "): " + reason + "\nhost: " + Host.name() + "\n", Map.of(Exchange.HTTP_METHOD, "POST",
                                    Exchange.CONTENT_TYPE, "text/plain; charset=utf-8"));
                } catch (RuntimeException e) {
                    LOG.warn("notification to {} failed: {}", url, e.getMessage());
                }
            });
        } catch (Exception e) {
            LOG.warn("the failure could not be reported: {}", e.toString());
        }
    }
}
