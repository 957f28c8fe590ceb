package org.idream.backup.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where things are on disk (SPEC §1, §2 steps 2 and 9): a source's mirror, a run's folder of the
 * deleted area and its manifests, the per-mirror locks. The one place that spells these paths.
 */
public final class Layout {
    public static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    public static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH-mm-ss");
    public static final String MANIFEST_SUFFIX = ".manifest";
    /** The folder of the deleted area where retention keeps the manifests deltas are based on. */
    public static final String BASES = ".bases";

    /** A run's name, {@code YYYY-MM-DD/HH-MM-SS[_n]}, ordered as the runs happened. */
    public static final Comparator<String> RUN_ORDER = Comparator
            .comparing((String r) -> r.replaceFirst("_\\d+$", ""))
            .thenComparingInt(r -> r.matches(".*_\\d+$") ? Integer.parseInt(r.replaceFirst(".*_", "")) : 1);

    private Layout() {
    }

    /** The source's absolute path without its root: the same below every backup root. */
    public static Path relative(Path source) {
        return source.getRoot().relativize(source);
    }

    /** The mirror of a source: main-root + the source's absolute path. */
    public static Path mirror(Path mainRoot, Path source) {
        return mainRoot.resolve(relative(source));
    }

    /**
     * A run's folder of the deleted area, {@code <deleted-root>/YYYY-MM-DD/HH-MM-SS}, with a suffix when a
     * run in the same second already used it (or its manifests), so that no two runs ever share one.
     */
    public static Path runFolder(Path deletedRoot, ZonedDateTime at) {
        Path day = deletedRoot.resolve(DAY.format(at));
        String second = SECOND.format(at);
        Path folder = day.resolve(second);
        for (int n = 2; Files.exists(folder) || Files.exists(manifestFolder(folder)); n++) {
            folder = day.resolve(second + "_" + n);
        }
        return folder;
    }

    /**
     * Every run folder of a deleted area ({@code <root>/<day>/<time>}, or its manifests' folder alone: a run that
     * displaced nothing, or whose displaced files retention pruned), in run order.
     */
    public static List<String> runs(Path deletedRoot) throws IOException {
        List<String> runs = new ArrayList<>();
        if (!Files.isDirectory(deletedRoot)) {
            return runs;
        }
        try (DirectoryStream<Path> days = Files.newDirectoryStream(deletedRoot, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")) {
            for (Path day : days) {
                if (!Files.isDirectory(day, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> times = Files.newDirectoryStream(day)) {
                    for (Path time : times) {
                        String name = time.getFileName().toString();
                        String run = day.getFileName() + "/" + (name.endsWith(MANIFEST_SUFFIX)
                                ? name.substring(0, name.length() - MANIFEST_SUFFIX.length()) : name);
                        if (run.matches(".*/\\d{2}-\\d{2}-\\d{2}(_\\d+)?") && !runs.contains(run)) {
                            runs.add(run);
                        }
                    }
                }
            }
        }
        runs.sort(RUN_ORDER);
        return runs;
    }

    /** Every run that recorded a state in {@code deletedRoot} ({@code YYYY-MM-DD/HH-MM-SS.manifest}), oldest first. */
    public static List<String> recordedRuns(Path deletedRoot) throws IOException {
        List<String> runs = new ArrayList<>();
        if (!Files.isDirectory(deletedRoot, LinkOption.NOFOLLOW_LINKS)) {
            return runs;
        }
        try (DirectoryStream<Path> days = Files.newDirectoryStream(deletedRoot,
                "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")) {
            for (Path d : days) {
                if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> folders = Files.newDirectoryStream(d, "*" + MANIFEST_SUFFIX)) {
                    for (Path f : folders) {
                        String name = f.getFileName().toString();
                        runs.add(d.getFileName() + "/" + name.substring(0, name.length() - MANIFEST_SUFFIX.length()));
                    }
                }
            }
        }
        runs.sort(RUN_ORDER);
        return runs;
    }

    /** A run's name: {@code YYYY-MM-DD/HH-MM-SS[_n]}, the last two parts of its folder. */
    public static String runName(Path runFolder) {
        return runFolder.getParent().getFileName() + "/" + runFolder.getFileName();
    }

    /** The manifests of a run: {@code .../HH-MM-SS} → {@code .../HH-MM-SS.manifest}. */
    public static Path manifestFolder(Path runFolder) {
        return runFolder.resolveSibling(runFolder.getFileName() + MANIFEST_SUFFIX);
    }

    /** The manifest of a source in a run. */
    public static Path manifestFile(Path runFolder, Path source) {
        return manifestFolder(runFolder).resolve(fileName(source) + ".csv.gz");
    }

    /**
     * Where retention keeps a run's manifest that later runs' deltas are based on, once the run's folder is
     * gone: {@code <deleted-root>/.bases/YYYY-MM-DD/HH-MM-SS.manifest/<source>.csv.gz}.
     */
    public static Path keptBase(Path deletedRoot, String run, Path source) {
        return manifestFile(deletedRoot.resolve(BASES).resolve(run), source);
    }

    /** Where a source's manifest of a run is recorded before it is moved into place (a hidden work file beside it). */
    public static Path manifestWork(Path runFolder, Path source) {
        Path manifest = manifestFile(runFolder, source);
        return manifest.resolveSibling("." + manifest.getFileName() + ".work");
    }

    /** The folder of this product's records on the backup disk, beside the mirrors: {@code <main-root>/.ceph-backup}. */
    public static Path records(Path mainRoot) {
        return mainRoot.resolve(".ceph-backup");
    }

    /** The record of a source's last run: {@code <main-root>/.ceph-backup/<source>-<hash>.json}. */
    public static Path stateFile(Path mainRoot, Path source) {
        return records(mainRoot).resolve(fileName(source) + ".json");
    }

    /** The mirror's files a verify found damaged, to be copied again: {@code <main-root>/.ceph-backup/<source>-<hash>.damaged}. */
    public static Path damagedFile(Path mainRoot, Path source) {
        return records(mainRoot).resolve(fileName(source) + ".damaged");
    }

    /** The folder of the per-mirror locks: {@code <lock-file>.d}. */
    public static Path directoryLocks(Path runLock) {
        return runLock.resolveSibling(runLock.getFileName() + ".d");
    }

    /** A mirror's lock, held by the rclone that writes to it: {@code <lock-file>.d/<source>-<hash>.lock}. */
    public static Path directoryLock(Path runLock, Path source) {
        return directoryLocks(runLock).resolve(fileName(source) + ".lock");
    }

    /** A file name for a path: readable, and unique by a hash of the whole path. */
    public static String fileName(Path path) {
        String readable = path.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 120) {
            readable = readable.substring(readable.length() - 120);
        }
        return readable + "-" + Integer.toHexString(Arrays.hashCode(path.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
