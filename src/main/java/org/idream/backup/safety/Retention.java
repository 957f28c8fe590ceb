package org.idream.backup.safety;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.Units;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of the deleted area (SPEC §2 step 11): the dated folders {@code <deleted-root>/YYYY-MM-DD}
 * whose date is more than {@code backup.retention-days} before the run's day are removed, each with
 * {@code rm -rf --one-file-system}. By the date in the folder's name, never by file modification time
 * (a file moved into the deleted area keeps its old mtime), and never a purge of the whole area.
 * Anything that is not a dated folder is left alone and logged.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final Settings settings;
    /** The restore points kept beyond the window, as the last run's retention planned them. */
    private volatile KeptPoints kept = KeptPoints.NONE;

    public Retention(Settings settings) {
        this.settings = settings;
    }

    /**
     * Before anything is removed: the manifests that the kept runs' deltas are based on, moved out of the
     * folders about to go ({@link Layout#keptBase}); kept bases no kept delta needs any more, removed. Not in a
     * dry run. A failure here stops retention (nothing is removed).
     */
    public void keepBases(BackupRun run) throws IOException {
        Path root = settings.get(Keys.DELETED_ROOT);
        LocalDate cutoff = cutoff(run.started().toLocalDate());
        kept = KeptPoints.plan(settings, root, cutoff);
        kept.points.forEach((point, why) -> LOG.info("retention: restore point {} kept beyond the window ({}): {} of "
                + "the deleted area", point, why, Units.bytes(kept.bytes.getOrDefault(point, 0L))));
        run.keptPoints(kept.bytes);
        if (!run.dryRun()) {
            keepBases(cutoff);
            prune(root);
        }
    }

    /** The restore points kept beyond the window by the last {@link #keepBases(BackupRun)}, with why. */
    public Map<String, String> keptPoints() {
        return kept.points;
    }

    void keepBases(LocalDate cutoff) throws IOException {
        Path root = settings.get(Keys.DELETED_ROOT);
        if (!Files.isDirectory(root)) {
            return;
        }
        Map<Path, Path> keptAs = new HashMap<>();          // a base's file in its run's folder -> where it is kept
        Map<Path, Integer> deltas = new TreeMap<>();
        List<Path> keptManifests = new ArrayList<>();       // the runs' manifest folders that stay
        kept.points.keySet().forEach(point -> keptManifests.add(Layout.manifestFolder(root.resolve(point))));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path day : entries) {
                LocalDate date = day(day.getFileName().toString());
                if (date == null || date.isBefore(cutoff) || !Files.isDirectory(day, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> runs = Files.newDirectoryStream(day, "*" + Layout.MANIFEST_SUFFIX)) {
                    runs.forEach(keptManifests::add);
                }
            }
        }
        for (Path folder : keptManifests) {
            try (DirectoryStream<Path> manifests = Files.newDirectoryStream(folder, "*.csv.gz")) {
                for (Path manifest : manifests) {
                    Manifest.Header h = ManifestReader.header(manifest);
                    if (h.delta()) {
                        Path primary = Layout.manifestFile(root.resolve(h.base()), Path.of(h.source()));
                        keptAs.put(primary, Layout.keptBase(root, h.base(), Path.of(h.source())));
                        deltas.merge(primary, 1, Integer::sum);
                    }
                }
            }
        }
        for (var base : deltas.entrySet()) {
            Path primary = base.getKey();
            LocalDate date = day(root.relativize(primary).getName(0).toString());
            if (date != null && date.isBefore(cutoff) && Files.isRegularFile(primary, LinkOption.NOFOLLOW_LINKS)) {
                Path kept = keptAs.get(primary);
                Files.createDirectories(kept.getParent());
                Files.move(primary, kept, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("retention: {} kept as {}: the base of {} later run(s)' manifest(s)", primary, kept,
                        base.getValue());
            }
        }
        Path bases = root.resolve(Layout.BASES);
        Set<Path> needed = Set.copyOf(keptAs.values());
        if (Files.isDirectory(bases, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(bases)) {
                all = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : all) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> in = Files.list(p)) {
                        if (!p.equals(bases) && in.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                } else if (!needed.contains(p)) {
                    Files.delete(p);
                    LOG.info("retention: removed {}: no kept run's manifest is based on it any more", p);
                }
            }
        }
    }

    /**
     * The expired dated folders that hold what a kept restore point needs: everything else in them removed (files
     * and links no kept point needs, then the folders left empty); what stays, logged with its size.
     */
    private void prune(Path root) throws IOException {
        for (Path day : kept.days) {
            long[] gone = {0, 0};
            List<Path> all;
            try (Stream<Path> walk = Files.walk(day)) {
                all = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : all) {
                if (p.equals(day) || kept.keeps(p)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> in = Files.list(p)) {
                        if (in.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                } else {
                    gone[0]++;
                    gone[1] += Files.size(p);
                    Files.delete(p);
                }
            }
            long[] stays = {0, 0};
            try (Stream<Path> walk = Files.walk(day)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                    stays[0]++;
                    stays[1] += p.toFile().length();
                });
            }
            LOG.info("retention: {} is past the window but holds what kept restore points need: {} file(s) ({}) "
                    + "removed, {} ({}) kept", day, gone[0], Units.bytes(gone[1]), stays[0], Units.bytes(stays[1]));
        }
    }

    private LocalDate cutoff(LocalDate today) {
        return today.minusDays(settings.get(Keys.RETENTION_DAYS));
    }

    /** The dated folders to remove, oldest first. In a dry run: logged, none returned. */
    public List<String> expired(BackupRun run) throws IOException {
        Path root = settings.get(Keys.DELETED_ROOT);
        int days = settings.get(Keys.RETENTION_DAYS);
        LocalDate cutoff = cutoff(run.started().toLocalDate());
        List<String> expired = new ArrayList<>();
        int kept = 0;
        if (!Files.isDirectory(root)) {
            return expired;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                LocalDate day = day(name);
                if (name.equals(Layout.BASES)) {
                    continue;                                       // kept bases: keepBases looks after them
                }
                if (day == null || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warn("retention: {} is not a dated folder (YYYY-MM-DD): left alone", entry);
                } else if (day.isBefore(cutoff) && this.kept.days.contains(entry)) {
                    kept++;                                         // pruned by keepBases: kept restore points
                } else if (day.isBefore(cutoff)) {
                    expired.add(entry.toString());
                } else {
                    kept++;
                }
            }
        }
        expired.sort(null);
        LOG.info("retention: {} dated folder(s) of {} older than {} days (before {}), {} kept{}", expired.size(), root,
                days, cutoff, kept, run.dryRun() && !expired.isEmpty() ? "; dry run: nothing removed" : "");
        if (run.dryRun()) {
            expired.forEach(f -> LOG.info("retention: dry run: would remove {}", f));
            return List.of();
        }
        return expired;
    }

    private static LocalDate day(String name) {
        if (!DAY.matcher(name).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(name);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The arguments of {@code rm} for one folder. */
    public List<String> removeArguments(String folder) {
        return List.of("-rf", "--one-file-system", "--", folder);
    }

    /** The folder is gone, or this attempt failed (and is tried again). */
    public void checkRemoved(String folder, ProcessRunner.Result result) {
        int exit = result.exit();
        if (exit != 0 || Files.exists(Path.of(folder), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("rm -rf " + folder + " failed (exit " + exit + ")");
        }
        LOG.info("retention: removed {}", folder);
    }

    /** Whether there is a deleted area to measure (not in a dry run). */
    public boolean measurable(BackupRun run) {
        return !run.dryRun() && Files.isDirectory(settings.get(Keys.DELETED_ROOT));
    }

    /** The arguments of {@code du}: the space the deleted area takes on the backup disk (manifests included), in bytes. */
    public List<String> sizeArguments() {
        return List.of("--summarize", "--block-size=1", "--one-file-system", "--",
                settings.get(Keys.DELETED_ROOT).toString());
    }

    /** The deleted area's size after retention, for the run's metrics and the log. */
    public void measured(ProcessRunner.Result r, BackupRun run) {
        String first = r.out().strip().split("\\s+")[0];
        if (r.exit() != 0 || !first.matches("\\d+")) {
            LOG.warn("retention: the size of the deleted area is unknown (du exit {}: {})", r.exit(), r.firstLine());
            return;
        }
        run.deletedAreaBytes(Long.parseLong(first));
        LOG.info("retention: the deleted area holds {}", Units.bytes(Long.parseLong(first)));
    }

    /** All tries failed ({@code redeliveries} after the first): a WARNING, never a failed backup. */
    public void failed(String folder, Integer redeliveries, Exception e) {
        int tries = (redeliveries == null ? 0 : redeliveries) + 1;
        LOG.warn("retention: {} could not be removed after {} tr{}: {}", folder, tries, tries == 1 ? "y" : "ies",
                e == null ? "unknown error" : e.getMessage());
    }
}
