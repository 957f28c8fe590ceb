package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.cephfs.RecursiveStats;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.Listing;

/**
 * What a change-guided sync does, found by a walk of the source (its snapshot) that goes only into the
 * directories whose recursive change time is newer than {@code since} (or that hold hard-linked files,
 * whose changes through another link CephFS does not propagate here). Each such directory is compared
 * one level with its mirror, as {@code rclone sync} would: names gone from the source, and entries whose
 * kind changed, are displaced; files that are new, or whose size, modification time or change time say
 * they changed, are handed to {@code rclone copy} (which compares them as the sync does); links are
 * made; new folders are created and everything below them taken (a moved-in tree keeps its old change
 * times, so a new name is never trusted).
 */
public final class GuidedPlan {
    /** A link to make in the mirror. */
    public record Link(String rel, String target, FileTime mtime) {
    }

    /**
     * The most entries a guided run lists (the entries of the folders it compares or takes: held in memory with
     * the mirror's and the manifest's records of them until the run's manifest is written), some 2 KiB each:
     * about 126 000 in the default heap of 256 MiB. Beyond it the run syncs in full, whose memory does not grow with
     * the change ({@link TooLarge}).
     */
    static long maxListed = Runtime.getRuntime().maxMemory() / 2048;

    /** The change is in folders that hold more entries than a guided run may list. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long entries) {
            super("the change is in folders that hold more than " + entries + " entries, more than a guided run "
                    + "lists in this heap (" + maxListed + "; JAVA_OPTS=-Xmx raises it)");
        }
    }

    /** A file handed to rclone only because its change time is after {@link #since}: its entry, by manifest path. */
    record ByChangeTime(String rel, Entry entry) {
    }

    final Instant since;
    private final Map<String, ByChangeTime> byChangeTime = new HashMap<>();
    final List<String> displace = new ArrayList<>();
    final Set<String> removedTrees = new TreeSet<>();
    final List<String> mkdirs = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    final List<String> copy = new ArrayList<>();
    /** Every directory compared or taken whole, with the source entries (filtered) its mirror must hold after. */
    final Map<String, List<Entry>> listed = new LinkedHashMap<>();
    private final Set<String> hardLinksBefore;
    private final Set<String> hardLinksFound = new TreeSet<>();
    private final Path source;
    private final Path mirror;
    private final RcloneFilters filters;
    private final RecursiveStats stats;
    int changedDirs;
    private long listedEntries;
    /** Special files or hard-linked files seen: CephFS counts this tree otherwise than rclone lists it. */
    boolean irregular;

    private GuidedPlan(Path source, Path mirror, RcloneFilters filters, Instant since, Set<String> hardLinks,
            RecursiveStats stats) {
        this.source = source;
        this.stats = stats;
        this.mirror = mirror;
        this.filters = filters;
        this.since = since;
        this.hardLinksBefore = hardLinks;
    }

    /**
     * Walks {@code source} from its root.
     *
     * @param hardLinks the folders known to hold hard-linked files: looked into every time
     * @param stats     where the folders' recursive change times are read (CephFS's)
     */
    public static GuidedPlan of(Path source, Path mirror, RcloneFilters filters, Instant since, Set<String> hardLinks,
            RecursiveStats stats) throws IOException {
        GuidedPlan plan = new GuidedPlan(source, mirror, filters, since, hardLinks, stats);
        Entry root = Listing.entry(source);
        if (plan.needsVisit("", root.ctime())) {
            plan.visit("");
        }
        return plan;
    }

    /** The directories that hold hard-linked files, as far as the walk knows them now. */
    public Set<String> hardLinkDirs() {
        Set<String> now = new TreeSet<>(hardLinksBefore);
        now.removeAll(listed.keySet());
        now.removeIf(d -> removedTrees.stream().anyMatch(t -> d.equals(t) || d.startsWith(t + "/")));
        now.addAll(hardLinksFound);
        return now;
    }

    /** Files handed to rclone copy, relative to the source. */
    public List<String> filesToCopy() {
        return copy;
    }

    /** The source's entries this plan looked at: the root, and every entry of the folders it compared or took. */
    public long examined() {
        return 1 + listed.values().stream().mapToLong(List::size).sum();
    }

    public String summary() {
        return changedDirs + " changed director" + (changedDirs == 1 ? "y" : "ies") + " compared, "
                + (listed.size() - changedDirs) + " new; " + displace.size() + " entr" + (displace.size() == 1 ? "y" : "ies")
                + " to displace, " + mkdirs.size() + " folder(s) and " + links.size() + " link(s) to make, "
                + copy.size() + " file(s) for rclone copy";
    }

    /**
     * Whether to look into a folder: something below it changed after {@code since} (its rctime), or the
     * folder itself did (its own ctime: a folder made empty, or emptied and made again, can show an rctime
     * of 0 until something is put in it), or it may hold a hard-linked file.
     */
    private boolean needsVisit(String dir, FileTime ctime) throws IOException {
        return needsVisit(dir, ctime, null);
    }

    /** @param rctime the folder's rctime when already read, else null */
    private boolean needsVisit(String dir, FileTime ctime, Instant rctime) throws IOException {
        for (String h : hardLinksBefore) {
            if (dir.isEmpty() || h.equals(dir) || h.startsWith(dir + "/")) {
                return true;
            }
        }
        return stats.folderChanged(at(source, dir), ctime, rctime, since);
    }

    /** The rctimes of the folders both sides have, read a few at once (the snapshot's root is always visited). */
    private Map<String, Instant> rctimes(String dir, Map<String, Entry> src, Map<String, Entry> mir) throws IOException {
        List<String> both = src.values().stream().filter(e -> e.kind() == Entry.Kind.DIR)
                .map(Entry::name).filter(n -> mir.containsKey(n) && mir.get(n).kind() == Entry.Kind.DIR).toList();
        List<Instant> times = Listing.each(both.stream().map(n -> at(source, Listing.join(dir, n))).toList(), stats::rctime);
        Map<String, Instant> out = new HashMap<>();
        for (int i = 0; i < both.size(); i++) {
            out.put(both.get(i), times.get(i));
        }
        return out;
    }

    static Path at(Path root, String rel) {
        return Names.resolveListed(root, rel);
    }

    private Map<String, Entry> considered(Path root, String dir) throws IOException {
        return Listing.considered(root, dir, filters);
    }

    private void visit(String dir) throws IOException {
        changedDirs++;
        Map<String, Entry> src = considered(source, dir);
        Map<String, Entry> mir = considered(mirror, dir);
        remember(dir, src);
        Map<String, Instant> rctimes = rctimes(dir, src, mir);
        Set<String> names = new TreeSet<>(src.keySet());
        names.addAll(mir.keySet());
        for (String name : names) {
            Entry s = src.get(name);
            Entry m = mir.get(name);
            if (s != null && s.kind() == Entry.Kind.OTHER) {
                irregular = true;
                s = null;
            }
            if (m != null && m.kind() == Entry.Kind.OTHER) {
                m = null;
            }
            if (s == null && m == null) {
                continue;
            }
            String rel = Listing.join(dir, name);
            if (m != null && (s == null || m.kind() != s.kind())) {
                displace(rel, m);
                m = null;
            }
            if (s == null) {
                continue;
            }
            switch (s.kind()) {
                case FILE -> {
                    if (m == null || s.size() != m.size() || !s.mtime().equals(m.mtime())) {
                        copy.add(rel);
                    } else if (stats.fileChanged(rel, s.ctime(), since)) {
                        copy.add(rel);
                        if (s.nlink() == 1 && !stats.comparesRecords()) {
                            // a hard-linked file's attributes in a CephFS snapshot need not be those of the content
                            // it gives (found by the Ceph soak: a write through another name, the record equal)
                            byChangeTime.put(s.manifestPath(dir), new ByChangeTime(rel, s));
                        }
                    }
                }
                case LINK -> {
                    if (m == null || !s.linkTarget().equals(m.linkTarget())) {
                        if (m != null) {
                            displace(rel, m);
                        }
                        links.add(new Link(rel, s.linkTarget(), s.mtime()));
                    }
                }
                case DIR -> {
                    if (m == null) {
                        mkdirs.add(rel);
                        takeWhole(rel);
                    } else if (needsVisit(rel, s.ctime(), rctimes.get(name))) {
                        visit(rel);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * Takes back from the copy the files that only their change time sent there (their size and modification time
     * match the mirror's) and that the last manifest recorded as they are now: the same kind, size, modification
     * time and change time, to the nanosecond (the comparison {@code backup.change-detection = manifest} makes of
     * every file), unless hard-linked. The last run copied them as they are; inside {@code backup.rctime-margin} after it (a rerun, an
     * hourly schedule, the night after a bulk ingest) every file there would otherwise be checked again by rclone,
     * one by one. One read of the last manifest, only when there are such files.
     *
     * @return how many files were taken back
     */
    public int keepRecorded(Path lastManifest) throws IOException {
        if (byChangeTime.isEmpty() || lastManifest == null || !Files.isRegularFile(lastManifest)) {
            byChangeTime.clear();
            return 0;
        }
        Set<String> same = new HashSet<>();
        ManifestReader.read(lastManifest, e -> {
            ByChangeTime f = byChangeTime.get(e.path());
            if (f != null && f.entry().unchangedSince(e)) {
                same.add(f.rel());
            }
        });
        byChangeTime.clear();
        if (!same.isEmpty()) {
            copy.removeIf(same::contains);
        }
        return same.size();
    }

    /** A directory the mirror does not have: everything below it is taken. */
    private void takeWhole(String dir) throws IOException {
        Map<String, Entry> src = considered(source, dir);
        remember(dir, src);
        for (Entry s : src.values()) {
            String rel = Listing.join(dir, s.name());
            switch (s.kind()) {
                case FILE -> copy.add(rel);
                case LINK -> links.add(new Link(rel, s.linkTarget(), s.mtime()));
                case DIR -> {
                    mkdirs.add(rel);
                    takeWhole(rel);
                }
                default -> { }
            }
        }
    }

    private void displace(String rel, Entry m) {
        displace.add(rel);
        if (m.kind() == Entry.Kind.DIR) {
            removedTrees.add(rel);
        }
    }

    private void remember(String dir, Map<String, Entry> src) {
        listedEntries += src.size();
        if (listedEntries > maxListed) {
            throw new TooLarge(listedEntries);
        }
        listed.put(dir, src.values().stream().filter(e -> e.kind() != Entry.Kind.OTHER).toList());
        if (src.values().stream().anyMatch(e -> e.kind() == Entry.Kind.FILE && e.nlink() > 1)) {
            hardLinksFound.add(dir);
            irregular = true;
        }
        if (src.values().stream().anyMatch(e -> e.kind() == Entry.Kind.OTHER)) {
            irregular = true;
        }
    }

    /** Special files or hard-linked files seen in what the walk looked at. */
    public boolean irregular() {
        return irregular;
    }
}
