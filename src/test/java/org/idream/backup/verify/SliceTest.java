package org.idream.backup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A file's slice is a hash of its source and path that must never move between releases (M nights of slices read
 * every file once only while each file stays in its slice): the hash made without the bytes is the one made from
 * {@code (source + "\0" + path).getBytes(ISO_8859_1)}, for paths of every kind (ASCII, Latin-1, beyond it, pairs of
 * surrogates and lone ones, the listing's control pictures).
 */
class SliceTest {
    /** The slice as it was first written: FNV-1a over the Latin-1 bytes. */
    private static boolean reference(Slice s, String source, String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (source + "\0" + path).getBytes(StandardCharsets.ISO_8859_1)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        return Math.floorMod(h, (long) s.m()) == s.n() - 1;
    }

    private static final char[] ALPHABET = ("abcXYZ019 ./-_*?[]\u00e9\u00ff\u00a0\u0100\u03c3\u0440\u2400\u240a"
            + "\u201b\ud83d\ude00\ud800\udc00\ud83d").toCharArray();

    @Test
    void theSliceOfAPathIsTheOneItsLatin1BytesGive() {
        Random r = new Random(19);
        int[] inSlice = new int[30];
        for (int i = 0; i < 200_000; i++) {
            StringBuilder path = new StringBuilder();
            for (int k = r.nextInt(40); k > 0; k--) {
                path.append(ALPHABET[r.nextInt(ALPHABET.length)]);
            }
            String source = i % 2 == 0 ? "/cephfs/data" : "/cephfs/d\u00e9t\u00e9cteur \ud83d\ude00";
            int m = 1 + r.nextInt(40);
            Slice s = new Slice(1 + r.nextInt(m), m, true);
            assertEquals(reference(s, source, path.toString()), s.reads(source, path.toString()),
                    () -> "the slice of " + path + " moved");
            Slice thirty = new Slice(1 + i % 30, 30);
            if (thirty.reads(source, path.toString())) {
                inSlice[i % 30]++;
            }
        }
        for (int n : inSlice) {
            assertTrue(n > 150 && n < 300, "each of 30 slices holds about a 30th: " + n + " of 6 667");
        }
    }
}
