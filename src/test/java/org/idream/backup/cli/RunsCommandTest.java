package org.idream.backup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/**
 * A run's start and end as `runs` prints them: always to the second, so that the printed time restores that run.
 * A run that started on a whole minute was printed "HH:mm" (LocalDateTime.toString drops ":00"), which `--as-of`
 * reads as the whole minute: the last run of that minute, not this one (RestorePointsTest, seen in CI).
 */
class RunsCommandTest {
    @Test
    void aRunOnAWholeMinuteIsPrintedWithItsSeconds() {
        Instant onTheMinute = LocalDateTime.parse("2026-12-07T00:50:00.123").atZone(ZoneId.systemDefault()).toInstant();
        assertEquals("2026-12-07 00:50:00", RunsCommand.local(onTheMinute));
        Instant other = LocalDateTime.parse("2026-12-07T00:50:07.9").atZone(ZoneId.systemDefault()).toInstant();
        assertEquals("2026-12-07 00:50:07", RunsCommand.local(other));
    }
}
