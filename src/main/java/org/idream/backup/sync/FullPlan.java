package org.idream.backup.sync;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.tree.Entry;

/**
 * What the walk before a full sync found ({@link PreScan}): the source's side of the validation (null when
 * the walk is incomplete), the mirror's entries whose kind the source changed (displaced before rclone
 * runs), the folders that hold hard-linked files, whether CephFS counts the tree otherwise than rclone
 * lists it, and the run's manifest, recorded into its work file (null when incomplete or in a dry run).
 */
public record FullPlan(boolean complete, TreeSummary source, List<KindChange> kindChanges, Set<String> hardLinkDirs,
        boolean irregular, String incompleteBecause, Path manifestWork, Set<String> lookalikes) {

    /** A mirror's entry at {@code rel} (relative, '/'-separated) that the source now holds as a {@code kind}. */
    public record KindChange(String rel, Entry.Kind kind) {
    }

    public FullPlan {
        kindChanges = List.copyOf(kindChanges);
        hardLinkDirs = Set.copyOf(hardLinkDirs);
        lookalikes = Set.copyOf(lookalikes);
    }

    /** No walk (the exclude file's rules cannot be applied outside rclone): rclone does it all. */
    static FullPlan withoutWalk(String why) {
        return new FullPlan(false, null, List.of(), Set.of(), true, why, null, Set.of());
    }
}
