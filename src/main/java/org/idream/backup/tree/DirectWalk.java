package org.idream.backup.tree;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.process.Causes;

/**
 * A walk of a tree by its folders' descriptors, for a walk that only compares (the last manifest's change
 * detection, {@code backup.change-detection = manifest}): each folder opened once, its names read with
 * getdents64(2), each entry's attributes with statx(2) relative to the folder (not by its whole path, which
 * the kernel would resolve again component by component), through JNA's direct mapping (an interface
 * mapping costs a microsecond or two a call), folders read a few at once, one task each. Measured on this
 * project's 2-core machine, 1 146 927 entries on local disk, all in the page cache: 4.4 s against 15.7 s for
 * the {@link Listing} walk (an lstat by path, a future a folder); the same names, kinds, sizes, times,
 * inodes, owners and modes (DirectWalkTest compares both).
 *
 * <p>Linux only (statx: kernel 4.11, glibc 2.28; getdents64: glibc 2.30); where it cannot load or statx fails
 * as unsupported, {@link #available()} is false and callers walk with {@link Listing}. Its entries carry no
 * {@link Path} (null): nothing that reads a file's attributes or content takes them.
 */
public final class DirectWalk {
    /** A folder named by a link is followed at the root (a source given as a link), never below it. */
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0200000 | 02000000;
    private static final int O_RDONLY_DIRECTORY_NOFOLLOW_CLOEXEC = O_RDONLY_DIRECTORY_CLOEXEC | 0400000;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** TYPE, MODE, NLINK, UID, GID, MTIME, CTIME, INO, SIZE. */
    private static final int STATX_MASK = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x80 | 0x100 | 0x200;
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int ENOMEM = 12;
    private static final int EACCES = 13;
    private static final int ENFILE = 23;
    private static final int EMFILE = 24;
    private static final int THREADS = 4;
    private static final boolean AVAILABLE = probe();

    private DirectWalk() {
    }

    /** The system calls, bound once; pointers as addresses. */
    private static final class Sys {
        static {
            Native.register(NativeLibrary.getInstance("c"));
        }

        static native int open(byte[] path, int flags);

        static native int openat(int dirfd, byte[] name, int flags);

        static native int close(int fd);

        static native long getdents64(int fd, long buf, long count);

        static native int statx(int dirfd, long name, int flags, int mask, long buf);

        static native long readlinkat(int dirfd, long name, byte[] buf, long size);
    }

    private static boolean probe() {
        try {
            Buffers b = new Buffers();
            byte[] root = {'/', 0};
            b.dents.write(0, root, 0, root.length);
            return Sys.statx(-100, b.dentsAt, AT_SYMLINK_NOFOLLOW, STATX_MASK, b.statAt) == 0;
        } catch (Throwable e) {          // no JNA direct mapping, no statx or getdents64 in this libc, not Linux
            return false;
        }
    }

    /** Whether this walk can run here; when not, walk with {@link Listing}. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** What the walk does with a folder's entries: the subfolders (relative, in the listing's form) to walk into. */
    public interface Visit {
        List<String> visit(String dir, List<Entry> entries) throws IOException;
    }

    /**
     * Walks {@code root} (a folder) from its top ({@code ""}): each folder's entries (all of them but . and ..,
     * in no order; an entry gone since its folder was read left out) given to {@code visit}, one folder at a
     * time (its calls never overlap), then the subfolders it names walked into (a task each, the latest first:
     * depth first, as deep as the tree, never recursively). A root given as a link is followed; a folder below
     * it that is gone or no longer a folder when its turn comes has no entries (the walk of its parent saw it);
     * any other failure (a folder that cannot be read) is thrown, naming the path.
     */
    public static void walk(Path root, Visit visit) throws IOException {
        walk(root, visit, true);
    }

    /**
     * {@link #walk(Path, Visit)}, but the calls of {@code visit} may overlap (one a folder, on the threads that read
     * them): for a {@code visit} that is safe to call at once from several threads and costs enough to share out.
     */
    public static void walkConcurrently(Path root, Visit visit) throws IOException {
        walk(root, visit, false);
    }

    private static void walk(Path root, Visit visit, boolean serial) throws IOException {
        byte[] top = Names.absoluteBytes(root);
        int fd = Sys.open(Arrays.copyOf(top, top.length + 1), O_RDONLY_DIRECTORY_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT) {
                visit.visit("", List.of());
                return;
            }
            throw failure(root.toString(), errno);
        }
        ForkJoinPool pool = new ForkJoinPool(THREADS, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("walk-" + t.getPoolIndex());
            return t;
        }, null, false);
        Walk walk = new Walk(root, fd, visit, pool, serial);
        try {
            walk.start("");
            walk.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while walking " + root);
        } catch (ExecutionException e) {
            throw Causes.io(e.getCause(), root.toString());
        } finally {
            pool.shutdownNow();
            // the folders being read use the root's descriptor: it is closed once none is (each task reads one
            // folder, a few milliseconds), even when this thread was interrupted (its number could be reused);
            // a minute at most (a folder on a mount that hangs)
            boolean interrupted = Thread.interrupted();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!pool.isTerminated() && System.nanoTime() < deadline) {
                try {
                    pool.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Sys.close(fd);
        }
    }

    /** Whether {@code /proc/self/fd} names this process's open descriptors (a short way into an open folder). */
    private static final boolean PROC_FD = java.nio.file.Files.isDirectory(Path.of("/proc/self/fd"));

    /**
     * One folder open for reading ({@link #open}, {@link #root}): its entries (getdents64(2), and statx(2) relative
     * to it), the kind and size of a path below it (a statx relative to it: the kernel resolves only the path's
     * components below the folder, and no Java path or attributes object is made: a million entries of the mirror
     * looked at each night by {@code verify}), and for the calls that have no form relative to a folder (the
     * extended attributes') a short path to each entry through the folder's descriptor, {@code /proc/self/fd/N/NAME},
     * which the kernel resolves in two steps instead of one a component of the whole path. On ceph-fuse each
     * component is a round trip to the client (a FUSE lookup): on the lab, one tree of 4 227 entries (2 229 folders)
     * read with an lstat and a listxattr an entry and a folder's CephFS settings, 12.1-16.5 s by whole paths, 7.0-8.8
     * s so, the MDS's requests the same (docs/BENCHMARKS.md).
     */
    public static final class Folder implements AutoCloseable {
        private final Path path;
        private final int fd;
        private final byte[] prefix;
        private boolean closed;

        private Folder(Path path, int fd, byte[] prefix) {
            this.path = path;
            this.fd = fd;
            this.prefix = prefix;
        }

        /** Its entries but . and .., in no order, each with its path (an entry gone since the folder was read: left out). */
        public List<Entry> entries() throws IOException {
            return DirectWalk.entries(fd, path, "", path);
        }

        /** A path to one of its entries by name (the listing's form) for a system call, through the folder's descriptor. */
        public byte[] at(String name) {
            byte[] raw = ListedNames.raw(name);
            byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
            System.arraycopy(raw, 0, out, prefix.length, raw.length);
            return out;
        }

        /** The entry at {@code rel} (the listing's form, relative), not following a link at its end; null when none. */
        public Stat stat(String rel) throws IOException {
            byte[] raw = ListedNames.raw(rel);
            Buffers b = BUFFERS.get();
            if (raw.length >= Buffers.DENTS) {
                throw new IOException(Names.resolveListed(path, rel) + ": a path longer than any folder holds");
            }
            b.dents.write(0, raw, 0, raw.length);
            b.dents.setByte(raw.length, (byte) 0);
            if (Sys.statx(fd, b.dentsAt, AT_SYMLINK_NOFOLLOW, STATX_MASK, b.statAt) != 0) {
                int errno = Native.getLastError();
                if (errno == ENOENT || errno == ENOTDIR) {
                    return null;
                }
                throw failure(Names.resolveListed(path, rel).toString(), errno);
            }
            return new Stat(Entry.Kind.of(b.statBuffer.getShort(28) & 0xffff), b.statBuffer.getLong(40));
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Sys.close(fd);
            }
        }
    }

    /** What {@link Folder#stat} finds at a path: its kind and size (a link's: as lstat gives it). */
    public record Stat(Entry.Kind kind, long size) {
    }

    /**
     * Opens a folder by its path (following a link, as a listing of it does); null when it does not exist. Only where
     * {@link #available()}.
     */
    public static Folder open(Path folder) throws IOException {
        return open(folder, false);
    }

    /**
     * Opens a tree's top for {@link Folder#stat} (following a link, as a path to it does); null when it does not
     * exist or is not a folder. Only where {@link #available()}.
     */
    public static Folder root(Path top) throws IOException {
        return open(top, true);
    }

    private static Folder open(Path folder, boolean fileIsAbsent) throws IOException {
        byte[] p = Names.absoluteBytes(folder);
        int fd = Sys.open(Arrays.copyOf(p, p.length + 1), O_RDONLY_DIRECTORY_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT || fileIsAbsent && errno == ENOTDIR) {
                return null;
            }
            throw failure(folder.toString(), errno);
        }
        byte[] prefix;
        if (PROC_FD) {
            prefix = ("/proc/self/fd/" + fd + "/").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        } else {
            prefix = Arrays.copyOf(p, p.length + 1);
            prefix[p.length] = '/';
        }
        return new Folder(folder, fd, prefix);
    }

    /** One walk: the folders to read, and when all are. */
    private static final class Walk {
        private final Path root;
        private final int rootFd;
        private final Visit visit;
        private final ForkJoinPool pool;
        private final boolean serial;
        private final AtomicLong pending = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Walk(Path root, int rootFd, Visit visit, ForkJoinPool pool, boolean serial) {
            this.root = root;
            this.rootFd = rootFd;
            this.visit = visit;
            this.pool = pool;
            this.serial = serial;
        }

        void start(String dir) {
            pending.incrementAndGet();
            pool.execute(() -> {
                try {
                    if (!done.isDone()) {
                        List<Entry> entries = read(dir);
                        List<String> sub;
                        if (serial) {
                            synchronized (this) {
                                sub = visit.visit(dir, entries);
                            }
                        } else {
                            sub = visit.visit(dir, entries);
                        }
                        for (String s : sub) {
                            start(s);
                        }
                    }
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                }
            });
        }

        private List<Entry> read(String dir) throws IOException {
            int fd = rootFd;
            if (!dir.isEmpty()) {
                byte[] rel = ListedNames.raw(dir);
                fd = Sys.openat(rootFd, Arrays.copyOf(rel, rel.length + 1), O_RDONLY_DIRECTORY_NOFOLLOW_CLOEXEC);
                if (fd < 0) {
                    int errno = Native.getLastError();
                    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) {
                        return List.of();                      // gone, or no longer a folder, since its parent was read
                    }
                    throw failure(Names.resolveListed(root, dir).toString(), errno);
                }
            }
            try {
                return entries(fd, dir);
            } finally {
                if (fd != rootFd) {
                    Sys.close(fd);
                }
            }
        }

        private List<Entry> entries(int fd, String dir) throws IOException {
            return DirectWalk.entries(fd, root, dir, null);
        }
    }

    /**
     * A folder's entries (open as {@code fd}; {@code root} and {@code dir} name it in a failure), each with its path
     * below {@code folder} when that is given, else none.
     */
    private static List<Entry> entries(int fd, Path root, String dir, Path folder) throws IOException {
        Buffers b = BUFFERS.get();
        List<Entry> out = new ArrayList<>();
        while (true) {
            long n = Sys.getdents64(fd, b.dentsAt, Buffers.DENTS);
            if (n == 0) {
                return out;
            }
            if (n < 0) {
                throw failure(Names.resolveListed(root, dir).toString(), Native.getLastError());
            }
            ByteBuffer d = b.dentsBuffer;
            for (int at = 0; at < n; at += d.getShort(at + 16) & 0xffff) {
                int nameAt = at + 19;
                int len = 0;
                while (d.get(nameAt + len) != 0) {
                    len++;
                }
                if (len == 1 && d.get(nameAt) == '.' || len == 2 && d.get(nameAt) == '.' && d.get(nameAt + 1) == '.') {
                    continue;
                }
                byte[] name = new byte[len];
                d.get(nameAt, name);
                if (Sys.statx(fd, b.dentsAt + nameAt, AT_SYMLINK_NOFOLLOW, STATX_MASK, b.statAt) != 0) {
                    int errno = Native.getLastError();
                    if (errno == ENOENT) {
                        continue;                          // gone since the folder was read
                    }
                    throw failure(Names.resolveListed(root, Listing.join(dir, ListedNames.of(name))).toString(), errno);
                }
                Entry e = entry(fd, b, nameAt, name, root, dir, folder);
                if (e != null) {
                    out.add(e);
                }
            }
        }
    }

    /*
     * struct statx: 16 stx_nlink u32, 20 stx_uid u32, 24 stx_gid u32, 28 stx_mode u16, 32 stx_ino u64,
     * 40 stx_size u64, 96 stx_ctime {i64 sec, u32 nsec}, 112 stx_mtime {i64 sec, u32 nsec}
     */
    private static Entry entry(int fd, Buffers b, int nameAt, byte[] raw, Path root, String dir, Path folder)
            throws IOException {
        ByteBuffer s = b.statBuffer;
        int mode = s.getShort(28) & 0xffff;
        Entry.Kind kind = Entry.Kind.of(mode);
        long size = s.getLong(40);
        String target = null;
        if (kind == Entry.Kind.LINK) {
            long n = Sys.readlinkat(fd, b.dentsAt + nameAt, b.link, b.link.length);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == ENOENT) {
                    return null;
                }
                throw failure(Names.resolveListed(root, Listing.join(dir, ListedNames.of(raw))).toString(), errno);
            }
            target = ListedNames.of(Arrays.copyOf(b.link, (int) n));
            size = n;                                      // rclone's .rclonelink object: the target's bytes
        }
        String name = ListedNames.of(raw);
        return new Entry(name, kind, size, time(s, 112), time(s, 96), target, s.getInt(16),
                s.getInt(20), s.getInt(24), mode, s.getLong(32), folder == null ? null : Names.resolveListed(folder, name));
    }

    private static FileTime time(ByteBuffer s, int at) {
        return FileTime.from(Instant.ofEpochSecond(s.getLong(at), s.getInt(at + 8) & 0xffffffffL));
    }

    private static IOException failure(String path, int errno) {
        String why = switch (errno) {
            case EPERM, EACCES -> "permission denied";
            case ENOTDIR -> "not a folder";
            case ELOOP -> "a symbolic link where a folder was";
            case EIO -> "input/output error";
            case EMFILE, ENFILE -> "too many open files";
            case ENOMEM -> "out of memory";
            default -> "error " + errno;
        };
        return new IOException(path + ": " + why);
    }

    /** A thread's buffers in native memory: a folder's names, one entry's attributes, a link's target. */
    private static final class Buffers {
        static final int DENTS = 1 << 16;
        final Memory dents = new Memory(DENTS + 1);
        final Memory stat = new Memory(256);
        final long dentsAt = Pointer.nativeValue(dents);
        final long statAt = Pointer.nativeValue(stat);
        final ByteBuffer dentsBuffer = dents.getByteBuffer(0, DENTS).order(ByteOrder.nativeOrder());
        final ByteBuffer statBuffer = stat.getByteBuffer(0, 256).order(ByteOrder.nativeOrder());
        final byte[] link = new byte[4096];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
}
