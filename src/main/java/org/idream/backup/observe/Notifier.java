package org.idream.backup.observe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Host;
import org.idream.backup.outcome.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification pings of the route {@code notify} (healthchecks.io style): a POST to
 * {@code backup.notify.url-start}, {@code -success} or {@code -failure}, the failure's reason in the
 * body. A ping that fails is a WARNING, never a failed backup.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    /** What a ping says; {@link #id()} is its name in the route's header {@code notifyEvent}. */
    public enum Event {
        START, SUCCESS, FAILURE, NONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Event of(String id) {
            return Arrays.stream(values()).filter(e -> e.id().equals(id)).findFirst().orElse(NONE);
        }
    }

    public Notifier(Settings settings) {
        this.settings = settings;
    }

    /** The run's end as an event: success, failure, or none (a run that found the lock taken). */
    public String endEvent(BackupRun run) {
        if (run == null || run.outcome() == null || run.outcome() == RunOutcome.LOCKED) {
            return Event.NONE.id();
        }
        return (run.outcome() == RunOutcome.SUCCESS ? Event.SUCCESS : Event.FAILURE).id();
    }

    /** True when a URL is configured for the event. */
    public boolean configured(String event) {
        return urlOf(event).isPresent();
    }

    /** The URL of the event's ping. */
    public String url(String event) {
        return urlOf(event).orElseThrow();
    }

    /** The text of the ping: the start, or the outcome with every directory's line and the log's path. */
    public String body(String event, BackupRun run) {
        if (Event.of(event) == Event.START) {
            return "backup run started at " + run.started() + " on " + Host.name();
        }
        StringBuilder body = new StringBuilder();
        body.append("backup run ").append(run.outcome().text()).append(" (exit ").append(run.outcome().exitCode())
                .append(")");
        if (run.reason() != null) {
            body.append(": ").append(run.reason());
        }
        body.append('\n');
        for (DirectoryRun d : run.directories()) {
            body.append(d.summary()).append('\n');
        }
        body.append("log: ").append(run.logFile()).append('\n');
        body.append("host: ").append(Host.name()).append('\n');
        return body.toString();
    }

    public void sent(String url) {
        LOG.info("notification sent: {}", url);
    }

    /** The ping failed: a WARNING only. */
    public void failed(String url, Exception e) {
        LOG.warn("notification to {} failed: {}", url, e == null ? "unknown error" : e.getMessage());
    }

    private Optional<String> urlOf(String event) {
        return switch (Event.of(event)) {
            case START -> settings.get(Keys.NOTIFY_URL_START);
            case SUCCESS -> settings.get(Keys.NOTIFY_URL_SUCCESS);
            case FAILURE -> settings.get(Keys.NOTIFY_URL_FAILURE);
            case NONE -> Optional.empty();
        };
    }
}
