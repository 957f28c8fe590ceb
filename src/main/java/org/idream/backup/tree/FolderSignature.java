package org.idream.backup.tree;

/**
 * A folder's entries summed into one 64-bit signature, order not mattering: a folder as a manifest recorded it
 * and the same folder as a walk finds it compare equal when every entry's fields do (a manifest is read once in
 * any order and only folders are held in memory; the folders that differ are then looked at entry by entry).
 */
public final class FolderSignature {
    private long sum;
    private long count;

    /** Adds one entry's fields ({@link #of}). */
    public void add(long entry) {
        sum += entry;
        count++;
    }

    /** How many entries were added. */
    public long count() {
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FolderSignature s && s.sum == sum && s.count == count;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sum);
    }

    /** One entry's fields: 64-bit FNV-1a, finished with SplitMix64's mixer; null and "" differ. */
    public static long of(String path, char kind, long size, String mtime, String ctime, String target) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, path);
        h = (h ^ kind) * 0x100000001b3L;
        h = (h ^ size) * 0x100000001b3L;
        h = mix(h, mtime);
        h = mix(h, ctime);
        h = mix(h, target);
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long mix(long h, String s) {
        if (s == null) {
            return (h ^ 0x1ff) * 0x100000001b3L;
        }
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x100) * 0x100000001b3L;
    }
}
