package org.idream.backup.sync;

import java.util.Locale;

/**
 * Whether a directory's change-guided copy would cost more than a full sync of it, from what this directory's
 * own runs measured on this host (kept in its {@link DirectoryState}): the seconds a file its last large guided
 * copy took ({@code rclone copy --files-from-raw --no-traverse} checks each file on its own: through ceph-fuse
 * about 5.5 ms a file, where a full {@code rclone sync} compares whole listings at about 1.7 ms an entry), and
 * the seconds its last full sync took for the files it had. Nothing measured yet: the guided copy stands (the
 * model never guesses). The full sync it falls back to gives the same result (it is the safety net's sync).
 *
 * @param copySecondsPerFile seconds a file of the last guided copy that mostly checked ({@link #copyRate}); null: none yet
 * @param fullSeconds        seconds the last full sync of the directory took, its walks and checks included
 * @param fullFiles          the files the mirror held after that full sync
 */
public record CostModel(Double copySecondsPerFile, Double fullSeconds, Long fullFiles) {
    /** A guided copy of fewer files says more about rclone's start than about a file's cost: not measured. */
    public static final int SAMPLE = 200;

    /** The model of a directory's record. */
    public static CostModel of(DirectoryState state) {
        return new CostModel(state.copySecondsPerFile(), state.fullSeconds(), state.fullFiles());
    }

    /**
     * Why a full sync is cheaper than copying {@code toCopy} files one by one, for a mirror of {@code files}
     * files now; null when it is not, or when this directory has not measured both yet.
     */
    public String fullIsCheaper(long toCopy, long files) {
        if (copySecondsPerFile == null || fullSeconds == null || fullFiles == null || toCopy < SAMPLE) {
            return null;
        }
        double guided = toCopy * copySecondsPerFile;
        double full = fullSeconds * Math.max(1.0, (double) files / Math.max(1, fullFiles));
        if (guided <= full) {
            return null;
        }
        return String.format(Locale.ROOT, "%d changed file(s) to copy one by one would take about %.0f s (%.1f ms a "
                + "file, as this directory's last large guided copy took), a full sync about %.0f s (its last one: "
                + "%.0f s for %d files): the full sync is cheaper", toCopy, guided, copySecondsPerFile * 1000, full,
                fullSeconds, fullFiles);
    }

    /**
     * This run's measure of a guided copy: its seconds a file when it handed rclone at least {@link #SAMPLE} files
     * and rclone transferred at most one in ten of them (the rest only checked: what a full sync's listings save;
     * the bytes a transfer moves cost both syncs alike); else the last measure.
     */
    public static Double copyRate(int copied, long transferred, double seconds, Double before) {
        return copied >= SAMPLE && transferred * 10 <= copied ? Double.valueOf(seconds / copied) : before;
    }
}
