package org.idream.backup.verify;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.idream.backup.restore.Archive;

/**
 * Which files {@code verify} reads whole: none, all ({@code --read-data}), or the Nth of M slices
 * ({@code --read-data-subset N/M}, as restic's): a file belongs to one slice by a hash of its source and path,
 * so M nights of slices 1..M read every file once. {@link #nightly} rotates through them by the day, and through
 * the deleted area's run folders ({@code byRun}): a run's folder is checked (each version there against the
 * manifest of the run before, read whole) on the night of its run's day and every M nights after, since each
 * costs a read of that whole manifest.
 */
public record Slice(int n, int m, boolean byRun) {
    public static final Slice NONE = new Slice(0, 0);
    public static final Slice ALL = new Slice(1, 1);

    /** A slice of the files, every run folder of the deleted area checked. */
    public Slice(int n, int m) {
        this(n, m, false);
    }

    /** {@code N/M}, 1 ≤ N ≤ M. */
    public static Slice parse(String text) {
        String[] p = text.strip().split("/");
        try {
            if (p.length == 2) {
                int n = Integer.parseInt(p[0]);
                int m = Integer.parseInt(p[1]);
                if (m >= 1 && n >= 1 && n <= m) {
                    return new Slice(n, m);
                }
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("'" + text + "' is not a slice N/M with 1 <= N <= M (e.g. 3/30)");
    }

    /** The slice of a day when the data is read in {@code m} nights. */
    public static Slice nightly(int m, LocalDate day) {
        return new Slice((int) Math.floorMod(day.toEpochDay(), (long) m) + 1, m, true);
    }

    /**
     * Whether the deleted area's folder of this run ({@code yyyy-MM-dd/HH-mm-ss}) is checked: by the nightly slice,
     * on its run's day (what a night displaced is checked the same night) and every M days after it.
     */
    public boolean checksRun(String run) {
        if (!byRun || m <= 1) {
            return true;
        }
        LocalDate day;
        try {
            day = Archive.start(run).toLocalDate();
        } catch (DateTimeParseException e) {
            return true;                                   // not a run's name: checked
        }
        return Math.floorMod(day.toEpochDay(), (long) m) == n - 1;
    }

    /** Whether a version in the deleted area's folder of this run, of this source and path, is read whole. */
    public boolean readsDisplaced(String run, String source, String path) {
        return byRun ? checksRun(run) : reads(source, path);
    }

    public boolean readsAny() {
        return m > 0;
    }

    /** Whether a file of this source and path (the listing's form) is read whole. */
    public boolean reads(String source, String path) {
        if (m == 0) {
            return false;
        }
        if (m == 1) {
            return true;
        }
        long h = latin1(latin1(0xcbf29ce484222325L, source) * 0x100000001b3L, path);   // the 0 between them: h ^ 0
        h ^= h >>> 33;
        return Math.floorMod(h, (long) m) == n - 1;
    }

    /**
     * 64-bit FNV-1a on from {@code h} over the bytes {@code text.getBytes(ISO_8859_1)} would give (a character
     * beyond Latin-1 is '?', a surrogate pair one '?'), without making them: a million paths a night.
     */
    static long latin1(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                }
                c = '?';
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        String files = m == 0 ? "sizes only" : m == 1 ? "every file's content" : "slice " + n + "/" + m + " of the contents";
        return byRun && m > 1 ? files + "; of the deleted area the run folders of this day and every " + m
                + "th day before it, read whole" : files;
    }
}
