package org.idream.backup.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The content hashes a manifest recorded, by path, for a run that carries them over to files it did not copy:
 * compact (a 64-bit key of the path, the size, the modification time and the 32 bytes of the hash: about 60
 * bytes a file, 60 MB at a million), read once. A hash is carried only to a file of the same size and
 * modification time (two paths sharing a key, one in 10^8 at a million files, would also need both).
 */
public final class HashIndex {
    private static final HexFormat HEX = HexFormat.of();
    private long[] keys = new long[16];
    private long[] sizes = new long[16];
    private long[] times = new long[16];
    private byte[] hashes = new byte[16 * 32];
    private boolean[] used = new boolean[16];
    private int count;

    /** The hashes of a manifest's files; empty when it has none (older, missing). */
    public static HashIndex of(Path manifest) throws IOException {
        HashIndex index = new HashIndex();
        if (manifest != null && Files.isRegularFile(manifest)) {
            ManifestReader.read(manifest, e -> {
                if (e.file() && e.sha256() != null) {
                    index.put(e.path(), e.size(), time(e.modTime()), HEX.parseHex(e.sha256()));
                }
            });
        }
        return index;
    }

    /** The hash recorded for a file of this path, size and modification time; null when there is none. */
    public String get(String path, long size, String modTime) {
        int slot = find(key(path));
        if (slot < 0 || sizes[slot] != size || times[slot] != time(modTime)) {
            return null;
        }
        return HEX.formatHex(hashes, slot * 32, slot * 32 + 32);
    }

    public int size() {
        return count;
    }

    private void put(String path, long size, long time, byte[] hash) {
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        long key = key(path);
        int slot = slot(key);
        while (used[slot] && keys[slot] != key) {
            slot = (slot + 1) & (keys.length - 1);
        }
        if (!used[slot]) {
            count++;
        }
        used[slot] = true;
        keys[slot] = key;
        sizes[slot] = size;
        times[slot] = time;
        System.arraycopy(hash, 0, hashes, slot * 32, 32);
    }

    private int find(long key) {
        for (int slot = slot(key); used[slot]; slot = (slot + 1) & (keys.length - 1)) {
            if (keys[slot] == key) {
                return slot;
            }
        }
        return -1;
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 32)) & (keys.length - 1);
    }

    private void grow() {
        long[] k = keys;
        long[] s = sizes;
        long[] t = times;
        byte[] h = hashes;
        boolean[] u = used;
        int n = k.length * 2;
        keys = new long[n];
        sizes = new long[n];
        times = new long[n];
        hashes = new byte[n * 32];
        used = new boolean[n];
        count = 0;
        for (int i = 0; i < k.length; i++) {
            if (u[i]) {
                long key = k[i];
                int slot = slot(key);
                while (used[slot]) {
                    slot = (slot + 1) & (n - 1);
                }
                used[slot] = true;
                keys[slot] = key;
                sizes[slot] = s[i];
                times[slot] = t[i];
                System.arraycopy(h, i * 32, hashes, slot * 32, 32);
                count++;
            }
        }
    }

    /** A 64-bit key of a path (in the listing's form): FNV-1a over its bytes, then SplitMix64's finaliser. */
    static long key(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.ISO_8859_1)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long time(String modTime) {
        try {
            return Long.parseLong(modTime);
        } catch (NumberFormatException e) {
            return Arrays.hashCode(modTime.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
