package org.idream.backup.tree;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.process.Causes;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;

/**
 * One level of a directory: every entry with one lstat(2) each, its name in the listing's form
 * ({@link ListedNames}: any name, byte for byte, the way rclone lists it and takes it in its lists of
 * paths). Paths below a root are given in that form too ({@link Names#resolveListed}).
 */
public final class Listing {

    private Listing() {
    }


    /**
     * The entries of {@code dir}, by name; an empty list when it does not exist. The entries of a large
     * folder are read a few at once: on CephFS each is a round trip to the MDS (measured in the lab, 187
     * entries: 0.41 s one by one, 0.15 s four at once).
     */
    public static List<Entry> of(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                paths.add(p);
            }
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
        List<Entry> entries = new ArrayList<>(each(paths, Listing::entry));
        entries.removeIf(Objects::isNull);        // gone since the folder was read
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    /** Reads one thing per item (a path, an entry), in order; a few at once when there are many (stat, getxattr). */
    public interface Read<I, T> {
        T apply(I item) throws IOException;
    }

    private static final int AT_ONCE = 8;
    private static final ForkJoinPool READERS = new ForkJoinPool(AT_ONCE,
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setDaemon(true);
                t.setName("listing-" + t.getPoolIndex());
                return t;
            }, null, false);

    /** What a walk does with a folder it read ({@link #walk}): the subfolders to walk into, in listing order. */
    public interface Visit<T> {
        List<String> visit(String dir, T read) throws IOException;
    }

    /**
     * A depth-first walk from the root ({@code ""}), each folder read by {@code read} (relative path in the listing's
     * form) and then visited on the calling thread, one by one in the order of a plain walk; the folders next in the
     * queue are read ahead, {@code readAhead} at most, on the readers' threads (on CephFS each read waits on the MDS).
     */
    public static <T> void walk(int readAhead, Read<String, T> read, Visit<T> visit) throws IOException {
        List<String> queue = new ArrayList<>(List.of(""));
        Map<String, Future<T>> ahead = new HashMap<>();
        while (!queue.isEmpty()) {
            String dir = queue.remove(queue.size() - 1);
            Future<T> started = ahead.remove(dir);
            queue.addAll(visit.visit(dir, started != null ? get(started) : read.apply(dir)));
            for (int i = queue.size() - 1; i >= Math.max(0, queue.size() - readAhead); i--) {
                ahead.computeIfAbsent(queue.get(i), d -> READERS.submit(() -> read.apply(d)));
            }
        }
    }

    /**
     * The regular files and links below {@code root} and their bytes (a link's: its target's length), as CephFS
     * counts them ({@code ceph.dir.rfiles}, {@code rbytes}): a walk, an lstat an entry, folders read ahead.
     */
    public static TreeSummary totals(Path root) throws IOException {
        long[] t = {0, 0};
        walk(16, dir -> of(Names.resolveListed(root, dir)), (dir, entries) -> {
            List<String> sub = new ArrayList<>();
            for (Entry e : entries) {
                if (e.kind() == Entry.Kind.DIR) {
                    sub.add(join(dir, e.name()));
                } else if (e.kind() == Entry.Kind.FILE || e.kind() == Entry.Kind.LINK) {
                    t[0]++;
                    t[1] += e.size();
                }
            }
            return sub;
        });
        return new TreeSummary(t[0], t[1], 0);
    }

    /** The result of a read started on the readers' threads, its failure thrown as the read threw it. */
    private static <T> T get(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw Causes.io(e.getCause(), "a read on the readers' threads");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a folder");
        }
    }

    /** {@code read} of every item, in the items' order; the first failure thrown as it was. */
    public static <I, T> List<T> each(List<I> paths, Read<I, T> read) throws IOException {
        if (paths.size() < AT_ONCE || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            List<T> out = new ArrayList<>(paths.size());
            for (I p : paths) {
                out.add(read.apply(p));
            }
            return out;
        }
        try {
            return READERS.submit(() -> paths.parallelStream().map(p -> {
                try {
                    return read.apply(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList()).get();
        } catch (ExecutionException e) {
            throw Causes.io(e.getCause(), "a read on the readers' threads");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + paths.size() + " entries");
        }
    }

    /**
     * The entries of {@code root/dir} that a sync with these filters considers, by name: files and links
     * the file rules include ({@link #includesLink}), folders the directory rules include; and
     * the special files (FIFOs, sockets, devices) the file rules include, which rclone skips but CephFS
     * counts (callers skip them).
     */
    public static SortedMap<String, Entry> considered(Path root, String dir, RcloneFilters filters)
            throws IOException {
        return considered(dir, of(Names.resolveListed(root, dir)), filters);
    }

    /** The entries of the folder {@code dir} (relative) that a sync with these filters considers, by name. */
    public static SortedMap<String, Entry> considered(String dir, List<Entry> entries, RcloneFilters filters) {
        SortedMap<String, Entry> byName = new TreeMap<>();
        for (Entry e : entries) {
            if (considers(filters, dir, e)) {
                byName.put(e.name(), e);
            }
        }
        return byName;
    }

    /** Whether a sync with these filters considers the entry {@code e} of the folder {@code dir} (relative). */
    public static boolean considers(RcloneFilters filters, String dir, Entry e) {
        String rel = join(dir, e.name());
        return switch (e.kind()) {
            case DIR -> filters.includesDirectory(ListedNames.remote(rel));
            case LINK -> includesLink(filters, rel);
            default -> filters.includesFile(ListedNames.remote(rel));
        };
    }

    /** The relative path of {@code name} in the folder {@code dir} (relative, "" for the top), '/'-separated. */
    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /**
     * Whether a sync considers a link: rclone 1.60 matches the rules against its name, where the local
     * backend reads it, and against {@code NAME.rclonelink}, where the sync does; either excludes it.
     */
    public static boolean includesLink(RcloneFilters filters, String rel) {
        return filters.includesFile(ListedNames.remote(rel))
                && filters.includesFile(ListedNames.remote(rel + RcloneListing.LINK_SUFFIX));
    }

    /** One entry (its name and a link's target in the listing's form: byte for byte), or null when it does not exist. */
    public static Entry entry(Path p) throws IOException {
        String name = Names.listed(p);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ctime,nlink,uid,gid,ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        int mode = (Integer) a.get("mode");
        Entry.Kind kind = Entry.Kind.of(mode);
        String target = null;
        long size = (Long) a.get("size");
        if (kind == Entry.Kind.LINK) {
            target = Names.readLink(p);
            size = ListedNames.raw(target).length;     // rclone's .rclonelink object: the target's bytes
        }
        return new Entry(name, kind, size, (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"), target,
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), mode, (Long) a.get("ino"), p);
    }
}
