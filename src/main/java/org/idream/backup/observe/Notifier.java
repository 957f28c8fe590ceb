package org.idream.backup.observe;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.run.BackupRun;
import org.idream.backup.run.DirectoryRun;
import org.idream.backup.run.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification pings of the route {@code notify} (healthchecks.io style): a POST to
 * {@code backup.notify.url-start}, {@code -success} or {@code -failure}, the failure's reason in the
 * body. A ping that fails is a WARNING, never a failed backup.
 */
public final class Notifier {
    public static final String EVENT = "notifyEvent";
    public static final String URL = "notifyUrl";
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public Notifier(Settings settings) {
        this.settings = settings;
    }

    /** The run's end as an event: success, failure, or none (a run that found the lock taken). */
    public String endEvent(@ExchangeProperty(BackupRun.PROPERTY) BackupRun run) {
        if (run == null || run.outcome() == null || run.outcome() == RunOutcome.LOCKED) {
            return "none";
        }
        return run.outcome() == RunOutcome.SUCCESS ? "success" : "failure";
    }

    /** True when a URL is configured for the event in the header {@value #EVENT}. */
    public boolean configured(Exchange exchange) {
        return url(exchange.getIn().getHeader(EVENT, String.class)).isPresent();
    }

    /** The URL (exchange property {@value #URL}) and the text body of the ping. */
    public void prepare(Exchange exchange) {
        String event = exchange.getIn().getHeader(EVENT, String.class);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        exchange.setProperty(URL, url(event).orElseThrow());
        StringBuilder body = new StringBuilder();
        if (event.equals("start")) {
            body.append("backup run started at ").append(run.started());
        } else {
            body.append("backup run ").append(run.outcome().text()).append(" (exit ").append(run.outcome().exitCode())
                    .append(")");
            if (run.reason() != null) {
                body.append(": ").append(run.reason());
            }
            body.append('\n');
            for (DirectoryRun d : run.getDirectories()) {
                body.append(d.tag()).append(": ").append(d.status().name().toLowerCase(java.util.Locale.ROOT))
                        .append(d.error() == null ? "" : " - " + d.error()).append('\n');
            }
            body.append("log: ").append(run.logFile()).append('\n');
        }
        exchange.getIn().setBody(body.toString());
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
    }

    public void sent(Exchange exchange) {
        LOG.info("notification sent: {}", exchange.getProperty(URL));
    }

    /** The ping failed: a WARNING only. */
    public void failed(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("notification to {} failed: {}", exchange.getProperty(URL), t == null ? "unknown error" : t.getMessage());
    }

    private Optional<String> url(String event) {
        if (event == null) {
            return Optional.empty();
        }
        return switch (event) {
            case "start" -> settings.get(Keys.NOTIFY_URL_START);
            case "success" -> settings.get(Keys.NOTIFY_URL_SUCCESS);
            case "failure" -> settings.get(Keys.NOTIFY_URL_FAILURE);
            default -> Optional.empty();
        };
    }
}
