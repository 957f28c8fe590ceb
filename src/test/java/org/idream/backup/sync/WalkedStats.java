package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.idream.backup.cephfs.RecursiveStats;

/**
 * CephFS's recursive statistics, computed on any file system by a walk: a directory's rctime is the newest
 * change time of anything below it (itself included), its totals the regular files and links below it
 * (a link's bytes: its target's length, as rclone counts it). {@link #holdBack} freezes a directory's rctime,
 * as CephFS's lazy propagation can show an old one for a while.
 */
final class WalkedStats implements RecursiveStats {
    private final Map<Path, Instant> heldBack = new ConcurrentHashMap<>();
    private volatile boolean available = true;
    private volatile long lagFiles;
    private volatile long lagBytes;
    private final java.util.concurrent.atomic.AtomicInteger laggingReads = new java.util.concurrent.atomic.AtomicInteger();

    /** From now on, {@code dir}'s rctime reads as it is now (until {@link #release}). */
    void holdBack(Path dir) throws IOException {
        heldBack.put(dir, rctime(dir));
    }

    void release() {
        heldBack.clear();
        laggingReads.set(0);
    }

    /** The next {@code reads} reads of the totals count this many files and bytes fewer than there are. */
    void lagTotals(long files, long bytes, int reads) {
        lagFiles = files;
        lagBytes = bytes;
        laggingReads.set(reads);
    }

    /** As a file system without recursive statistics. */
    void unavailable() {
        available = false;
    }

    @Override
    public boolean available(Path dir) {
        return available && Files.isDirectory(dir);
    }

    @Override
    public Instant rctime(Path dir) throws IOException {
        Instant held = heldBack.get(dir);
        if (held != null) {
            return held;
        }
        Instant[] newest = {Instant.EPOCH};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                newest[0] = max(newest[0], ctime(d));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                newest[0] = max(newest[0], ctime(f));
                return FileVisitResult.CONTINUE;
            }
        });
        return newest[0];
    }

    @Override
    public Totals totals(Path dir) throws IOException {
        long[] t = {0, 0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    t[0]++;
                    t[1] += attrs.size();
                } else if (attrs.isSymbolicLink()) {
                    t[0]++;
                    t[1] += Files.readSymbolicLink(f).toString().getBytes().length;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return laggingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? new Totals(t[0] - lagFiles, t[1] - lagBytes)
                : new Totals(t[0], t[1]);
    }

    private static Instant ctime(Path p) throws IOException {
        return ((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
