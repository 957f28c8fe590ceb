package org.idream.backup.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.idream.backup.config.Keys;
import org.idream.backup.fleet.FleetHealth;
import org.idream.backup.model.Clocks;
import org.idream.backup.outcome.RunOutcome;

/**
 * Camel health check "backup" ({@code /observe/health}): DOWN when the last run failed, or when the
 * last successful run is older than {@code backup.health.max-age} (or there is none on record), with
 * the reason; UP otherwise.
 */
public final class BackupHealthCheck extends AbstractHealthCheck {
    private final RunHistory history;
    private final Duration maxAge;

    private final Supplier<Optional<FleetHealth>> cluster;

    /** @param cluster in a fleet, whether this host is in it and what it holds */
    public BackupHealthCheck(RunHistory history, Duration maxAge, Supplier<Optional<FleetHealth>> cluster) {
        super("backup", "backup");
        this.history = history;
        this.maxAge = maxAge;
        this.cluster = cluster;
    }

    @Override
    public boolean isLiveness() {
        return false; // a failed backup does not mean the process should be restarted
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<FleetHealth> fleet = cluster.get();
        fleet.ifPresent(f -> f.details().forEach(builder::detail));
        if (fleet.isPresent() && !fleet.get().member()) {
            builder.message(fleet.get().notMember());
            builder.down();
            return;
        }
        String member = fleet.map(FleetHealth::membership).orElse("");
        Instant lastSuccess = history.lastSuccess();
        RunHistory.Summary last = history.last();
        builder.detail("last.success", lastSuccess == null ? "none on record" : lastSuccess.toString());
        if (last != null) {
            builder.detail("last.outcome", last.outcome().id());
            builder.detail("last.end", last.end().toString());
        }
        if (last != null && last.outcome() != RunOutcome.SUCCESS) {
            builder.message("the last run (" + last.end() + ") ended " + last.outcome().id()
                    + (last.reason() == null ? "" : ": " + last.reason()) + member);
            builder.down();
        } else if (lastSuccess == null) {
            builder.message("no successful run on record" + member);
            builder.down();
        } else if (lastSuccess.isBefore(Clocks.clock().instant().minus(maxAge))) {
            builder.message("the last successful run ended " + lastSuccess + ", more than " + maxAge.toHours()
                    + " h ago (" + Keys.HEALTH_MAX_AGE.name() + ")" + member);
            builder.down();
        } else {
            builder.message("the last successful run ended " + lastSuccess + member);
            builder.up();
        }
    }
}
