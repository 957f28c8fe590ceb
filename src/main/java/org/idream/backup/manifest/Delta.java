package org.idream.backup.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The records of a delta manifest: what changed since its base, the last whole manifest of the same mirror (a
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
 * with the nights. Read: the base's entries that no record drops, then this delta's entries. Only the folder
 * records are held in memory; the entries are streamed from the file, never held.
 */
public final class Delta {
    /** The record of a folder whose entries (one level) the delta holds in full. */
    public static final char CHILDREN = 'R';
    /** The record of a folder gone with everything in it. */
    public static final char TREE = 'X';
    /** Below this many records a delta is always worth it. */
    static final int SMALL = 1000;

    private final Path file;
    private final Set<String> children = new LinkedHashSet<>();
    private final Set<String> trees = new LinkedHashSet<>();
    private long entries;

    /** @param file the delta manifest whose entries these are; null: none (a whole manifest, or a new delta) */
    Delta(Path file) {
        this.file = file;
    }

    /** One record as read back: a folder's is kept, an entry's counted. */
    void add(ManifestEntry record) {
        switch (record.kind()) {
            case CHILDREN -> children.add(record.path());
            case TREE -> trees.add(record.path());
            default -> entries++;
        }
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

    /** Its entries, as they are now, read from its file. */
    void entries(Consumer<ManifestEntry> each) throws IOException {
        if (file != null) {
            ManifestReader.records(file, e -> {
                if (e.kind() != CHILDREN && e.kind() != TREE) {
                    each.accept(e);
                }
            });
        }
    }

    /** How many records it has. */
    public long records() {
        return children.size() + trees.size() + entries;
    }

    /**
     * This delta with one more night's changes put in: the folders listed again ({@code relisted}, whose
     * entries {@code fresh} now holds, every one of them: {@code freshEntries} of them) and the trees gone
     * ({@code removed}, folders ending in /).
     */
    public Next then(Collection<String> relisted, Collection<String> removed, long freshEntries) throws IOException {
        Next next = new Next(Set.copyOf(relisted), Set.copyOf(removed));
        next.children.addAll(children);
        next.children.addAll(relisted);
        next.trees.addAll(trees);
        next.trees.addAll(removed);
        long[] kept = {0};
        entries(e -> kept[0] += next.keeps(e) ? 1 : 0);
        next.records = next.children.size() + next.trees.size() + kept[0] + freshEntries;
        return next;
    }

    /** The next night's delta, to be written: its folder records, then the last delta's entries it keeps. */
    public final class Next {
        private final Set<String> again;
        private final Set<String> gone;
        private final Set<String> children = new LinkedHashSet<>();
        private final Set<String> trees = new LinkedHashSet<>();
        private long records;

        private Next(Set<String> again, Set<String> gone) {
            this.again = again;
            this.gone = gone;
        }

        /** Whether an entry of the last state (or of the last delta) stays as recorded: not listed again, not gone. */
        public boolean keeps(ManifestEntry e) {
            return !again.contains(e.parent()) && !under(e.path(), gone);
        }

        /** How many records it will have. */
        public long records() {
            return records;
        }

        /**
         * Whether writing it is worth it against a whole manifest of {@code entries} entries: up to a quarter of
         * them (beyond that the next base is written: reading a delta costs its base and itself).
         */
        public boolean worthIt(long entries) {
            return records <= Math.max(SMALL, entries / 4);
        }

        /** Its folder records and the last delta's entries it keeps (the fresh entries are the caller's to write). */
        public void writeTo(ManifestWriter out) throws IOException {
            children.forEach(p -> out.write(marker(p, CHILDREN)));
            trees.forEach(p -> out.write(marker(p, TREE)));
            Delta.this.entries(e -> {
                if (keeps(e)) {
                    out.write(e);
                }
            });
        }
    }

    private static ManifestEntry marker(String path, char kind) {
        return new ManifestEntry(0, path, "", null, kind, null, null, null, null, null, null, null, null, null);
    }
}
