package org.idream.backup.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The entries of a delta manifest: what changed since its base, the last full manifest of the same mirror (a
 * guided night writes one, so that its bookkeeping writes what changed, not the whole tree). Three kinds of
 * record, all relative to the base, so that a delta is read with its base alone, never with a chain:
 * <ul>
 * <li>{@value #CHILDREN} (path: a folder, "" for the top): the base's entries directly in that folder are
 *     replaced; this delta holds that folder's entries as they are now;</li>
 * <li>{@value #TREE} (path: a folder, ending in /): that folder and everything in it in the base is gone;</li>
 * <li>an entry (f, l, d): as it is now (its folder has a {@value #CHILDREN} record).</li>
 * </ul>
 * Each night's delta is the last one with that night's changed folders put in: cumulative, so the records of
 * folders that changed again are replaced, and the delta grows with the folders changed since the base, not
 * with the nights. Read: the base's entries that no record drops, then this delta's entries.
 */
public final class Delta {
    /** The record of a folder whose entries (one level) the delta holds in full. */
    public static final char CHILDREN = 'R';
    /** The record of a folder gone with everything in it. */
    public static final char TREE = 'X';
    /** Below this many records a delta is always worth it. */
    static final int SMALL = 1000;

    private final Set<String> children = new LinkedHashSet<>();
    private final Set<String> trees = new LinkedHashSet<>();
    private final List<ManifestEntry> entries = new ArrayList<>();

    /** One record as read back. */
    void add(ManifestEntry record) {
        switch (record.kind()) {
            case CHILDREN -> children.add(record.path());
            case TREE -> trees.add(record.path());
            default -> entries.add(record);
        }
    }

    /**
     * This delta with one more night's changes put in: the folders listed again ({@code relisted}, whose
     * entries {@code fresh} now holds, every one of them) and the trees gone ({@code removed}, folders ending
     * in /).
     */
    public Delta then(Collection<String> relisted, Collection<String> removed, Collection<ManifestEntry> fresh) {
        Delta next = new Delta();
        next.children.addAll(children);
        next.children.addAll(relisted);
        next.trees.addAll(trees);
        next.trees.addAll(removed);
        Set<String> again = Set.copyOf(relisted);
        Set<String> gone = Set.copyOf(removed);
        for (ManifestEntry e : entries) {
            if (!again.contains(e.parent()) && !under(e.path(), gone)) {
                next.entries.add(e);
            }
        }
        next.entries.addAll(fresh);
        return next;
    }

    /** Whether the base's entry is replaced or gone. */
    boolean drops(ManifestEntry base) {
        return children.contains(base.parent()) || under(base.path(), trees);
    }

    /** Whether a path is one of these folders (ending in /) or in one. */
    private static boolean under(String path, Set<String> folders) {
        if (folders.isEmpty()) {
            return false;
        }
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (folders.contains(path.substring(0, slash + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The entries it holds, as they are now. */
    public List<ManifestEntry> entries() {
        return entries;
    }

    /** How many records it writes. */
    public int records() {
        return children.size() + trees.size() + entries.size();
    }

    /**
     * Whether writing this delta is worth it against a whole manifest of {@code entries} entries: up to a
     * quarter of them (beyond that the next base is written: reading a delta costs its base and itself).
     */
    public boolean worthIt(long entries) {
        return records() <= Math.max(SMALL, entries / 4);
    }

    /** Every record, to be written. */
    public void writeTo(ManifestWriter out) {
        children.forEach(p -> out.write(marker(p, CHILDREN)));
        trees.forEach(p -> out.write(marker(p, TREE)));
        entries.forEach(out::write);
    }

    private static ManifestEntry marker(String path, char kind) {
        return new ManifestEntry(0, path, "", null, kind, null, null, null, null, null, null, null, null, null);
    }
}
