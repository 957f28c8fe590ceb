package org.idream.backup.safety;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.Layout;
import org.idream.backup.names.Names;

/**
 * Restore points kept beyond the window ({@code backup.keep-daily}, {@code -weekly}, {@code -monthly},
 * {@code -yearly}; borg's and restic's meaning: the last run of each of the N latest days, ISO weeks, months or
 * years that have one), and what in the dated folders retention would remove such a point needs to be restored
 * exactly: its manifests, and each of its files' version, which is the copy the first later run displaced (when
 * that run's folder expires too; else it stays anyway), or the mirror's when no later run displaced it.
 */
final class KeptPoints {
    /** The kept runs older than the window, with why ("monthly", "daily, weekly", ...). */
    final Map<String, String> points;
    /** What in the expired dated folders must stay: the points' manifest folders and the versions they need. */
    final Set<Path> needed;
    /** The bytes each point keeps there: its manifests and the versions it is the first to need. */
    final Map<String, Long> bytes;
    /** The dated folders (days) that hold something needed: pruned, not removed. */
    final Set<Path> days;

    private KeptPoints(Map<String, String> points, Set<Path> needed, Set<Path> days, Map<String, Long> bytes) {
        this.points = points;
        this.needed = needed;
        this.days = days;
        this.bytes = bytes;
    }

    static final KeptPoints NONE = new KeptPoints(Map.of(), Set.of(), Set.of(), Map.of());

    /** The rules of the configuration, whose periods count back from the newest run. */
    static KeptPoints plan(Settings settings, Path deletedRoot, LocalDate cutoff) throws IOException {
        Map<String, Function<LocalDate, Object>> rules = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        add(rules, counts, "daily", settings.get(Keys.KEEP_DAILY), d -> d);
        add(rules, counts, "weekly", settings.get(Keys.KEEP_WEEKLY),
                d -> d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        add(rules, counts, "monthly", settings.get(Keys.KEEP_MONTHLY), d -> d.getYear() * 100 + d.getMonthValue());
        add(rules, counts, "yearly", settings.get(Keys.KEEP_YEARLY), LocalDate::getYear);
        if (rules.isEmpty() || !Files.isDirectory(deletedRoot, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        List<String> runs = Layout.recordedRuns(deletedRoot);   // oldest first
        Map<String, String> points = new LinkedHashMap<>();
        for (var rule : rules.entrySet()) {
            Object last = null;
            int kept = 0;
            for (int i = runs.size() - 1; i >= 0 && kept < counts.get(rule.getKey()); i--) {
                Object period = rule.getValue().apply(day(runs.get(i)));
                if (!period.equals(last)) {                     // the newest run of its period
                    last = period;
                    kept++;
                    if (day(runs.get(i)).isBefore(cutoff)) {
                        points.merge(runs.get(i), rule.getKey(), (a, b) -> a + ", " + b);
                    }
                }
            }
        }
        if (points.isEmpty()) {
            return NONE;
        }
        // what each run displaced, by its path (read once: the deleted area is small beside the mirrors); every run
        // folder, with or without its manifests (an earlier retention may have pruned them)
        List<String> folders = Layout.runs(deletedRoot);
        Map<String, Set<Path>> displaced = new HashMap<>();
        for (String run : folders) {
            Path folder = deletedRoot.resolve(run);
            Set<Path> files = new HashSet<>();
            if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(folder)) {
                    walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
                }
            }
            displaced.put(run, files);
        }
        Set<Path> needed = new HashSet<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String point : points.keySet()) {
            Path manifests = Layout.manifestFolder(deletedRoot.resolve(point));
            needed.add(manifests);
            try (Stream<Path> files = Files.list(manifests)) {
                bytes.put(point, files.mapToLong(f -> f.toFile().length()).sum());
            }
            List<String> later = folders.stream().filter(r -> Layout.RUN_ORDER.compare(r, point) > 0).toList();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(manifests, "*.csv.gz")) {
                for (Path manifest : files) {
                    Manifest.Header h = ManifestReader.header(manifest);
                    Path rel = Layout.relative(Path.of(h.source()));
                    ManifestReader.read(manifest, e -> {
                        if (e.directory()) {
                            return;
                        }
                        for (String run : later) {
                            Path copy = Names.resolveListed(deletedRoot.resolve(run).resolve(rel), e.fileSystemPath());
                            if (displaced.get(run).contains(copy)) {
                                if (day(run).isBefore(cutoff) && needed.add(copy)) {
                                    // in a folder that expires: kept for this point
                                    bytes.merge(point, copy.toFile().length(), Long::sum);
                                }
                                return;
                            }
                        }
                    });
                }
            }
        }
        Set<Path> days = new HashSet<>();
        for (Path p : needed) {
            days.add(deletedRoot.resolve(deletedRoot.relativize(p).getName(0)));
        }
        return new KeptPoints(points, needed, days, bytes);
    }

    private static void add(Map<String, Function<LocalDate, Object>> rules, Map<String, Integer> counts, String name,
            Optional<Integer> n, Function<LocalDate, Object> period) {
        n.filter(k -> k > 0).ifPresent(k -> {
            rules.put(name, period);
            counts.put(name, k);
        });
    }

    private static LocalDate day(String run) {
        try {
            return LocalDate.parse(run.substring(0, 10));
        } catch (DateTimeParseException e) {
            return LocalDate.MIN;
        }
    }

    /** Whether {@code p} is needed or lies inside something needed (a kept point's manifest folder). */
    boolean keeps(Path p) {
        for (Path q = p; q != null; q = q.getParent()) {
            if (needed.contains(q)) {
                return true;
            }
        }
        return false;
    }
}
