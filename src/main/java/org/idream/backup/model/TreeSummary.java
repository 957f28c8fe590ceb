package org.idream.backup.model;

/**
 * What one listing of a tree says: how many files, how many bytes, and an order-independent
 * fingerprint of every (path, size) pair, so that two trees with equal totals but a file of another
 * size or name still differ. Constant memory, whatever the number of files.
 */
public record TreeSummary(long files, long bytes, long fingerprint) {

    public boolean sameAs(TreeSummary other) {
        return files == other.files && bytes == other.bytes && fingerprint == other.fingerprint;
    }

    public String describe() {
        return files + (files == 1 ? " file, " : " files, ") + Units.bytes(bytes) + " (" + bytes + " bytes)";
    }

    /** Accumulates entries in any order. */
    public static final class Builder {
        private long files;
        private long bytes;
        private long fingerprint;

        public void add(String path, long size) {
            files++;
            bytes += size;
            fingerprint += mix(hash(path) ^ (size * 0x9E3779B97F4A7C15L));
        }

        public TreeSummary build() {
            return new TreeSummary(files, bytes, fingerprint);
        }

        private static long hash(String s) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            return h;
        }

        /** SplitMix64's finaliser: spreads every input bit over the result. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
