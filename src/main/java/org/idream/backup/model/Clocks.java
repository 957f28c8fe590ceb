package org.idream.backup.model;

import java.time.Clock;
import java.time.Duration;

/**
 * The application's clock: the system's, shifted by the JVM property {@code backup.clock.offset}
 * (an ISO-8601 duration, e.g. {@code P3DT8H}) when it is set. Tests use it to let days pass between
 * runs (retention, dated folders, as-of moments); it has no place in production.
 */
public final class Clocks {
    private static final Clock CLOCK = make();

    private Clocks() {
    }

    private static Clock make() {
        String offset = System.getProperty("backup.clock.offset");
        return offset == null || offset.isBlank() ? Clock.systemDefaultZone()
                : Clock.offset(Clock.systemDefaultZone(), Duration.parse(offset));
    }

    public static Clock clock() {
        return CLOCK;
    }
}
