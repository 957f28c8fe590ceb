package org.idream.backup.restore;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A restore point as {@code --as-of} takes it: a run's name ({@code 2026-12-06/01-56-10}), or a moment. A
 * moment stands for the whole of the unit it was given to: a date alone for its day, {@code 01:56} for
 * that minute, {@code 01:56:11} for that second, the log's {@code 01:56:11,364} for that millisecond; the
 * state it restores is the one recorded by the last run that started at or before the end of that unit.
 * So every time this product prints for a run (its start or end in {@code runs}, the report's, a line of
 * its log) restores that run's state, and so does its name.
 */
public record AsOf(String run, OffsetDateTime moment, String given) {
    private static final Pattern RUN = Pattern.compile("\\d{4}-\\d{2}-\\d{2}/\\d{2}-\\d{2}-\\d{2}(_\\d+)?");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** The time of day as given: hours and minutes, then seconds, then a fraction of any length. */
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}([.,](\\d{1,9}))?)?"
            + "(.*)");

    /** Reads what {@code --as-of} was given, in local time unless it says its offset. */
    public static AsOf parse(String text) {
        String t = text.strip();
        ZoneId here = ZoneId.systemDefault();
        if (RUN.matcher(t).matches()) {
            return new AsOf(t, null, t);
        }
        try {
            if (DAY.matcher(t).matches()) {
                return new AsOf(null, LocalDate.parse(t).plusDays(1).atStartOfDay(here).minusNanos(1)
                        .toOffsetDateTime(), t);
            }
            Matcher m = TIME.matcher(t);
            if (m.matches()) {
                String iso = t.replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T").replace(',', '.');
                TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from,
                        LocalDateTime::from);
                OffsetDateTime start = parsed instanceof OffsetDateTime o ? o
                        : ((LocalDateTime) parsed).atZone(here).toOffsetDateTime();
                long unit = m.group(1) == null ? 60_000_000_000L : m.group(3) == null ? 1_000_000_000L
                        : (long) Math.pow(10, 9 - m.group(3).length());
                return new AsOf(null, start.plusNanos(unit - 1), t);
            }
        } catch (DateTimeException e) {
            // said below
        }
        throw new RestoreRefused("--as-of '" + text + "' is not a restore point like \"2026-11-27 01:30\", "
                + "\"2026-11-27 01:30:05\", \"2026-11-27T01:30:05+01:00\", \"2026-11-27\" (the end of that day) or "
                + "a run's name (\"2026-11-27/01-30-00\", `runs` lists them)");
    }

    /** A moment: the end of the unit it was given to, as it was given. */
    public static AsOf moment(OffsetDateTime at) {
        return new AsOf(null, at, at.toString());
    }

    /** For messages: what was given. */
    @Override
    public String toString() {
        return given;
    }
}
