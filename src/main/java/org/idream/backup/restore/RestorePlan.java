package org.idream.backup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.rclone.RcloneSetup;

/**
 * What a restore copies, from where: groups of files copied from one root each (the mirror, or a
 * run's folder of the deleted area) by one {@code rclone copy}, single files by {@code rclone copyto},
 * symbolic links recreated as they were; and what the target must hold afterwards.
 */
public final class RestorePlan {
    /** Files taken from one root: the whole tree ({@code list} null) or those in {@code list}. */
    public record Group(Path root, Path list, String from) {
    }

    /** One file copied alone (a single-file restore, or a name rclone's lists cannot carry). */
    public record Single(Path from, Path to) {
    }

    /** A symbolic link to recreate. */
    public record Link(Path at, String target) {
    }

    final Path target;
    final String what;
    final List<Group> groups = new ArrayList<>();
    final List<Single> singles = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    /** Names that are not valid UTF-8 (as listed, one char per byte): Java cannot name them to copy. */
    final List<String> unnamed = new ArrayList<>();
    final Map<String, long[]> perSource = new LinkedHashMap<>();
    final TreeSummary.Builder expected = new TreeSummary.Builder();
    /** The manifest whose owners, groups, modes and times the restored entries get; null when there is none. */
    Archive.RunManifest attributes;
    /** What is restored, relative to its source ("" for the whole source). */
    String rel = "";
    /** A dry run: nothing is written. */
    boolean dryRun;
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
