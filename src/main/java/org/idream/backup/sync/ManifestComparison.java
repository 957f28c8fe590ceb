package org.idream.backup.sync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.idream.backup.cephfs.RecursiveStats;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.process.Causes;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.tree.DirectWalk;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.FolderSignature;
import org.idream.backup.tree.Listing;

/**
 * Change detection on any file system ({@code backup.change-detection = manifest}): one stat walk of the source
 * ({@link DirectWalk}: by the folders' descriptors, where it runs; else {@link Listing}'s),
 * each folder's entries compared with what the last run's manifest recorded of them (kind, size, modification
 * time, change time, a link's target). Any change to a file's content, owner, mode, ACLs or extended attributes,
 * a rename onto it or a hard link's change through another name sets its change time, which no user can set
 * back (a {@code touch -r} that puts the old modification time back is seen); a name added or removed changes
 * its folder's list. A folder whose entries differ from the record, and every folder above it, is where the
 * change-guided walk ({@link GuidedPlan}) looks; there, a file goes to rclone when the mirror's size or time
 * differ, or its change time is not the one recorded. Nothing else is read: no listing of the mirror's
 * unchanged folders, no byte of an unchanged file.
 *
 * <p>Each folder's record is summed into one 64-bit signature ({@link FolderSignature}; order does not matter, so the
 * manifest is read once in any order, and only folders are held in memory); a second read of the manifest, only
 * when something changed, takes the recorded change times of the files in the folders the walk will look into.
 */
public final class ManifestComparison implements RecursiveStats {
    /** How many folders are read ahead of the walk (each a listing and an lstat per entry, a few at once). */
    private static final int READ_AHEAD = 16;
    private final Path source;
    private final Set<Path> visit = new HashSet<>();
    private final Map<String, String> recordedCtimes = new HashMap<>();
    private long examined;
    private long files;
    private long bytes;
    private int changedFolders;
    private long manifestEntries;
    private double readSeconds;
    private final TreeSummary.Builder recorded = new TreeSummary.Builder();
    private final SpotChecks spotChecks;

    private ManifestComparison(Path source, Random random) {
        this.source = source;
        this.spotChecks = new SpotChecks(random);
    }

    /**
     * Walks {@code source} with the sync's filters and compares it with {@code manifest}, the last run's. The manifest
     * is read on a thread of its own while the walk goes on (each a few seconds at a million entries, on two cores
     * together a third less), both into one table of folders: what the manifest recorded of each, what the walk
     * found; compared once both are done.
     */
    public static ManifestComparison of(Path source, RcloneFilters filters, Path manifest, Random random)
            throws IOException {
        ManifestComparison c = new ManifestComparison(source, random);
        Map<String, Folder> table = new ConcurrentHashMap<>();
        table.computeIfAbsent("", k -> new Folder()).recorded = true;
        AtomicBoolean stop = new AtomicBoolean();
        FutureTask<Void> read = new FutureTask<>(() -> {
            c.read(manifest, table, stop);
            return null;
        });
        Thread reader = new Thread(read, "last-manifest");
        reader.setDaemon(true);
        reader.start();
        try {
            c.walk(filters, table);
        } catch (IOException | RuntimeException | Error e) {
            stop.set(true);                                // the read stops at its next entry
            awaitQuietly(read);
            throw e;
        }
        try {
            read.get();
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + manifest);
        } catch (ExecutionException e) {
            throw Causes.io(e.getCause(), manifest.toString());
        }
        Set<String> changed = new HashSet<>();
        table.forEach((dir, f) -> {
            if (f.found && !(f.recorded && f.recordedSum == f.foundSum && f.recordedCount == f.foundCount)) {
                changed.add(dir);
            }
        });
        c.changedFolders = changed.size();
        Set<String> folders = new HashSet<>();
        for (String dir : changed) {
            for (String d = dir; ; d = parent(d)) {
                if (!folders.add(d) || d.isEmpty()) {
                    break;
                }
            }
        }
        for (String d : folders) {
            c.visit.add(GuidedPlan.at(source, d));
        }
        long entries = folders.stream().mapToLong(f -> table.containsKey(f) ? table.get(f).recordedCount : 0).sum();
        if (entries > GuidedPlan.maxListed) {
            throw new GuidedPlan.TooLarge(entries);      // before their change times are read into memory
        }
        if (!folders.isEmpty()) {
            ManifestReader.read(manifest, e -> {
                if (e.file() && e.ctime() != null && folders.contains(e.parent())) {
                    c.recordedCtimes.put(e.path(), e.ctime());
                }
            });
        }
        return c;
    }

    /** A folder as the last manifest recorded it and as the walk found it: each side's entries summed. */
    private static final class Folder {
        /** The reader's: the root, a folder the manifest recorded, or the parent of an entry it recorded. */
        boolean recorded;
        long recordedSum;
        long recordedCount;
        /** The walk's. */
        boolean found;
        long foundSum;
        long foundCount;

    }

    /** The last manifest into the table (on the reader's thread); stops when {@code stop} is set. */
    private void read(Path manifest, Map<String, Folder> table, AtomicBoolean stop) throws IOException {
        long t0 = System.nanoTime();
        long[] n = {0};
        ManifestReader.read(manifest, e -> {
            if (stop.get()) {
                throw new CancellationException("the walk failed");
            }
            n[0]++;
            Folder parent = table.computeIfAbsent(e.parent(), k -> new Folder());
            parent.recorded = true;
            parent.recordedSum += of(e);
            parent.recordedCount++;
            if (e.directory()) {
                table.computeIfAbsent(e.fileSystemPath(), k -> new Folder()).recorded = true;
            } else {
                recorded.add(e.path(), e.size());
            }
            spotChecks.offer(e);                           // for a night whose manifest is carried
        });
        manifestEntries = n[0];
        readSeconds = (System.nanoTime() - t0) / 1e9;
    }

    private static void awaitQuietly(FutureTask<Void> read) {
        boolean interrupted = false;
        while (true) {
            try {
                read.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;                                     // the walk's failure is the one to tell
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The walk into the table: each folder's entries summed as the manifest's would be. The folders are visited a
     * few at once (by the folders' descriptors, where that walk runs), so the counts are atomic.
     */
    private void walk(RcloneFilters filters, Map<String, Folder> table) throws IOException {
        LongAdder seen = new LongAdder();
        LongAdder fileCount = new LongAdder();
        LongAdder byteCount = new LongAdder();
        seen.increment();                                  // the root
        Listing.Visit<Collection<Entry>> compare = (dir, listing) -> {
            long sum = 0;
            long count = 0;
            long dirFiles = 0;
            long dirBytes = 0;
            List<String> subfolders = new ArrayList<>();
            for (Entry e : listing) {
                if (e.kind() == Entry.Kind.OTHER) {
                    continue;                              // rclone skips it; the manifest does not record it
                }
                sum += of(e, dir);
                count++;
                if (e.kind() == Entry.Kind.DIR) {
                    subfolders.add(Listing.join(dir, e.name()));
                } else {
                    dirFiles++;
                    dirBytes += e.size();
                }
            }
            seen.add(listing.size());
            fileCount.add(dirFiles);
            byteCount.add(dirBytes);
            Folder f = table.computeIfAbsent(dir, k -> new Folder());
            f.foundSum = sum;
            f.foundCount = count;
            f.found = true;
            return subfolders;
        };
        if (DirectWalk.available()) {
            DirectWalk.walkConcurrently(source, (dir, entries) -> {
                List<Entry> considered = new ArrayList<>(entries.size());
                for (Entry e : entries) {
                    if (Listing.considers(filters, dir, e)) {
                        considered.add(e);
                    }
                }
                return compare.visit(dir, considered);
            });
        } else {
            Listing.walk(READ_AHEAD, dir -> Listing.considered(source, dir, filters).values(), compare);
        }
        examined = seen.sum();
        files = fileCount.sum();
        bytes = byteCount.sum();
    }

    private static String parent(String dir) {
        int slash = dir.lastIndexOf('/');
        return slash < 0 ? "" : dir.substring(0, slash);
    }

    /** A manifest entry's record, as {@link #of(Entry, String)} gives a source entry's. */
    private static long of(ManifestEntry e) {
        return FolderSignature.of(e.path(), e.kind(), e.directory() ? 0 : e.size(), e.modTime(), e.ctime(),
                e.linkTarget());
    }

    /** A source entry's record in the folder {@code dir}, as its manifest entry would say it. */
    private static long of(Entry e, String dir) {
        return FolderSignature.of(e.manifestPath(dir), e.manifestKind(), e.manifestSize(),
                Long.toString(Entry.nanos(e.mtime())),
                Long.toString(Entry.nanos(e.ctime())), e.linkTarget());
    }

    /** The source's entries the walk looked at (the root and every entry below it the filters let in). */
    public long examined() {
        return examined;
    }

    /** The folders whose entries changed. */
    public int changedFolders() {
        return changedFolders;
    }

    /** The files and links the last manifest holds (what the mirror holds when nothing changed). */
    public TreeSummary recordedTotals() {
        return recorded.build();
    }

    /** The spot checks of a run whose manifest is carried: a sample of the last manifest's files and links. */
    SpotChecks spotChecks() {
        return spotChecks;
    }

    /** The seconds the last manifest's read took (the rest of the comparison is the walk). */
    public double readSeconds() {
        return readSeconds;
    }

    /** How many entries the last manifest held. */
    public long manifestEntries() {
        return manifestEntries;
    }

    @Override
    public boolean available(Path dir) {
        return true;
    }

    /** Now for a folder with a change in or below it, the epoch for the others: what the walk needs of it. */
    @Override
    public Instant rctime(Path dir) {
        return visit.contains(dir) ? Instant.MAX : Instant.EPOCH;
    }

    @Override
    public boolean folderChanged(Path dir, FileTime ctime, Instant rctime, Instant since) {
        return visit.contains(dir);
    }

    @Override
    public boolean comparesRecords() {
        return true;
    }

    @Override
    public boolean fileChanged(String rel, FileTime ctime, Instant since) {
        return !Long.toString(Entry.nanos(ctime)).equals(recordedCtimes.get(rel));
    }

    /** The files and links the walk counted, and their bytes. */
    @Override
    public Totals totals(Path dir) {
        return new Totals(files, bytes);
    }
}
