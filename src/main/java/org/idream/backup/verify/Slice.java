package org.idream.backup.verify;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Which files {@code verify} reads whole: none, all ({@code --read-data}), or the Nth of M slices
 * ({@code --read-data-subset N/M}, as restic's): a file belongs to one slice by a hash of its source and path,
 * so M nights of slices 1..M read every file once. {@link #nightly} rotates through them by the day.
 */
public record Slice(int n, int m) {
    public static final Slice NONE = new Slice(0, 0);
    public static final Slice ALL = new Slice(1, 1);

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
        return new Slice((int) Math.floorMod(day.toEpochDay(), (long) m) + 1, m);
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
        long h = 0xcbf29ce484222325L;
        for (byte b : (source + "\0" + path).getBytes(StandardCharsets.ISO_8859_1)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        return Math.floorMod(h, (long) m) == n - 1;
    }

    @Override
    public String toString() {
        return m == 0 ? "sizes only" : m == 1 ? "every file's content" : "slice " + n + "/" + m + " of the contents";
    }
}
