package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.LinkLookalikes;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.tree.DirectWalk;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.Listing;
import org.idream.backup.tree.Owners;

/**
 * Before a full sync: one walk of the source (its snapshot) that does what {@code --delete-before} did with
 * a second pass of rclone's, and more. It finds where the mirror holds another kind of entry than the
 * source (a file where the source now has a link or a folder, a link where it has a file, ...): those are
 * displaced into the deleted area before rclone runs ({@link FullSync#apply}), so that rclone never writes
 * through a link left in the mirror and every displaced version reaches the deleted area. The same walk
 * gives the source's side of the validation (with the sync's filters and {@code --links}, as rclone lists
 * it), the folders that hold hard-linked files (the change-guided sync looks into them every time), and
 * whether the tree is irregular for CephFS's counts (special files, hard links).
 *
 * <p>The walk also records the run's manifest of the mirror, from the source's side: every file, link and
 * folder with its owner, group and mode (the mirror, written by rclone, keeps neither); the validation
 * then shows the mirror holds exactly those files. It also finds the regular files named {@code *.rclonelink}
 * on either side, which rclone cannot carry ({@link LinkLookalikes}): the sync leaves them to this product.
 */
final class PreScan {
    /** How many folders are read ahead of the walk. */
    private static final int READ_AHEAD = 16;

    private PreScan() {
    }

    /**
     * @param manifest records every entry the walk sees as the run's manifest of the mirror; null for none
     * @param before the last run's record of an entry by its manifest path, or null: an entry that did not change
     *        since keeps it, without its attributes read again ({@link Entry#manifestEntries(String, List, Owners,
     *        Function)})
     */
    static FullPlan run(Path source, Path mirror, RcloneFilters filters, ManifestWriter manifest,
            Function<String, ManifestEntry> before) throws IOException {
        Owners owners = new Owners();
        TreeSummary.Builder summary = new TreeSummary.Builder();
        List<FullPlan.KindChange> kindChanges = new ArrayList<>();
        Set<String> lookalikes = new TreeSet<>();
        Set<String> hardLinks = new TreeSet<>();
        boolean[] irregular = {false};
        // the folders next in the walk are read ahead, a few at once, each with its entries' attributes for the
        // manifest (on CephFS an entry's lstat, listxattr and getxattr and a folder's three getxattrs are each a
        // round trip to the MDS); they are still taken one by one in a plain walk's order, so the result is its
        Listing.walk(READ_AHEAD, dir -> Folder.read(source, dir, filters, owners, manifest != null, before), (dir, folder) -> {
            Path mirrorDir = Names.resolveListed(mirror, dir);
            boolean mirrorHasDir = Files.isDirectory(mirrorDir, LinkOption.NOFOLLOW_LINKS);
            SortedMap<String, Entry> listing = folder.listing();
            Set<String> apart = lookalikes(listing, mirrorHasDir ? mirrorDir : null);
            apart.forEach(name -> lookalikes.add(Listing.join(dir, name)));
            if (manifest != null) {
                folder.recorded().forEach(manifest::write);
            }
            List<String> subfolders = new ArrayList<>();
            for (Entry e : listing.values()) {
                String rel = Listing.join(dir, e.name());
                if (e.kind() == Entry.Kind.OTHER) {
                    irregular[0] = true;
                    continue;
                }
                if (e.kind() == Entry.Kind.DIR) {
                    subfolders.add(rel);
                } else {
                    if (!apart.contains(e.remoteName())) {    // what rclone lists (the others are copied apart)
                        summary.add(Listing.join(dir, e.remoteName()), e.size());
                    }
                    if (e.kind() == Entry.Kind.FILE && e.nlink() > 1) {
                        hardLinks.add(dir);
                        irregular[0] = true;
                    }
                }
                if (mirrorHasDir) {
                    Entry m = Listing.entry(Names.resolveListed(mirrorDir, e.name()));
                    if (m != null && m.kind() != e.kind()) {
                        kindChanges.add(new FullPlan.KindChange(rel, e.kind()));
                    }
                }
            }
            return subfolders;
        });
        return new FullPlan(true, summary.build(), kindChanges, hardLinks, irregular[0], null,
                manifest == null ? null : manifest.finish(), lookalikes);
    }

    /** One folder of the source as the walk takes it: its entries, and their manifest entries when recorded. */
    private record Folder(SortedMap<String, Entry> listing, List<ManifestEntry> recorded) {
        static Folder read(Path source, String dir, RcloneFilters filters, Owners owners, boolean record,
                Function<String, ManifestEntry> before) throws IOException {
            if (!DirectWalk.available()) {
                SortedMap<String, Entry> listing = Listing.considered(source, dir, filters);
                return new Folder(listing, record ? Entry.manifestEntries(dir, kept(listing), owners, before) : List.of());
            }
            // the folder opened once: its entries' attributes read relative to it, not each by its whole path
            try (DirectWalk.Folder folder = DirectWalk.open(Names.resolveListed(source, dir))) {
                if (folder == null) {
                    return new Folder(new TreeMap<>(), List.of());
                }
                SortedMap<String, Entry> listing = Listing.considered(dir, folder.entries(), filters);
                return new Folder(listing, record ? Entry.manifestEntries(dir, kept(listing), owners, before,
                        e -> folder.at(e.name())) : List.of());
            }
        }

        private static List<Entry> kept(SortedMap<String, Entry> listing) {
            return listing.values().stream().filter(e -> e.kind() != Entry.Kind.OTHER).toList();
        }
    }

    /**
     * The names of one folder's regular files named {@code *.rclonelink}, in the source ({@code listing}) or in
     * its mirror ({@code mirrorDir}, null when there is none): rclone cannot carry them ({@link LinkLookalikes}).
     */
    private static Set<String> lookalikes(SortedMap<String, Entry> listing, Path mirrorDir) throws IOException {
        Set<String> apart = new TreeSet<>();
        for (Entry e : listing.values()) {
            if (e.kind() == Entry.Kind.FILE && LinkLookalikes.is(e.name())) {
                apart.add(e.name());
            }
        }
        if (mirrorDir != null) {
            try (DirectoryStream<Path> names = Files.newDirectoryStream(mirrorDir, "*" + RcloneListing.LINK_SUFFIX)) {
                for (Path p : names) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        apart.add(Names.listed(p));
                    }
                }
            }
        }
        return apart;
    }
}
