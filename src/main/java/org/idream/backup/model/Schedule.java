package org.idream.backup.model;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.quartz.CronExpression;

/** When {@code backup.schedule} (a Quartz cron expression) fires, on the application's clock ({@link Clocks}). */
public final class Schedule {
    private Schedule() {
    }

    /** The next firing after now; empty when the expression never fires again (or cannot be read). */
    public static Optional<Instant> nextFiring(String cron) {
        return after(cron, Clocks.clock().instant());
    }

    /** One period: the time between its next two firings; a day when that cannot be said. */
    public static Duration period(String cron) {
        Optional<Instant> a = nextFiring(cron);
        Optional<Instant> b = a.flatMap(t -> after(cron, t));
        return a.isPresent() && b.isPresent() ? Duration.between(a.get(), b.get()) : Duration.ofDays(1);
    }

    private static Optional<Instant> after(String cron, Instant t) {
        try {
            return Optional.ofNullable(new CronExpression(cron).getNextValidTimeAfter(Date.from(t))).map(Date::toInstant);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
