package org.idream.backup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.rclone.RcloneSetup;

/**
 * What a restore copies, from where: groups of files copied from one root each (the mirror, or a
 * run's folder of the deleted area) by one {@code rclone copy} of a list in the listing's form (any name,
 * byte for byte), files and trees whose path rclone cannot be given (a folder's name that is not UTF-8:
 * a command line is text) copied by Java, symbolic links recreated as they were; and what the target must
 * hold afterwards. Paths here keep their names' bytes ({@link org.idream.backup.names.Names}).
 */
public final class RestorePlan {
    /** Files taken from one root: the whole tree ({@code list} null) or those in {@code list}. */
    public record Group(Path root, Path list, String from) {
    }

    /** A file, or a whole tree, copied by Java: its path cannot be handed to rclone. */
    public record Single(Path from, Path to) {
    }

    /** A symbolic link to recreate; its target in the listing's form. */
    public record Link(Path at, String target) {
    }

    final Path target;
    final String what;
    final List<Group> groups = new ArrayList<>();
    final List<Single> singles = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    /**
     * What rclone must not list of the restored tree (relative to the target, listing's form): the regular files
     * named {@code *.rclonelink} ({@link #apartFiles}, copied by Java), and the names rclone gives links alike.
     */
    final Set<String> lookalikes = new TreeSet<>();
    /** The regular files named {@code *.rclonelink} restored, checked by Java. */
    final Set<String> apartFiles = new TreeSet<>();
    final Map<String, long[]> perSource = new LinkedHashMap<>();
    final TreeSummary.Builder expected = new TreeSummary.Builder();
    /** The manifest whose owners, groups, modes and times the restored entries get; null when there is none. */
    Archive.RunManifest attributes;
    /** What is restored, relative to its source, in the listing's form ("" for the whole source). */
    String rel = "";
    /** A dry run: nothing is written. */
    boolean dryRun;
    /** Folders get their CephFS quotas and layouts back too ({@code --ceph-attributes}). */
    boolean cephAttributes;
    /** The tree the target must equal when there is no manifest (a restore from the mirror). */
    Path compareWith;
    long files;
    long bytes;
    /** Set when the restore starts: how to run rclone, and whether the target was empty (then it is verified). */
    RcloneSetup rclone;
    boolean targetWasEmpty;

    RestorePlan(Path target, String what) {
        this.target = target;
        this.what = what;
    }

    void count(String from, long size) {
        files++;
        bytes += size;
        long[] c = perSource.computeIfAbsent(from, k -> new long[2]);
        c[0]++;
        c[1] += size;
    }

    public List<Group> getGroups() {
        return groups;
    }

    public Path target() {
        return target;
    }

    public String what() {
        return what;
    }
}
