package org.idream.backup.restore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the backup holds of one source: its mirror, the folders of the deleted area where runs
 * displaced its files, and the manifests of its mirror after each run, all in run order.
 */
public final class Archive {
    /** A run's name, {@code YYYY-MM-DD/HH-MM-SS[_n]}, ordered as the runs happened. */
    public static final Comparator<String> RUN_ORDER = Comparator
            .comparing((String r) -> r.replaceFirst("_\\d+$", ""))
            .thenComparingInt(r -> r.matches(".*_\\d+$") ? Integer.parseInt(r.replaceFirst(".*_", "")) : 1);

    /** One run's manifest of this source's mirror. */
    public record RunManifest(String run, Path file, OffsetDateTime written) {
    }

    /** One run's folder of displaced files of this source. */
    public record Displaced(String run, Path folder) {
    }

    private final Path source;
    private final Path mirror;
    private final Path deletedRoot;

    public Archive(Path source, Path mainRoot, Path deletedRoot) {
        this.source = source;
        this.mirror = mainRoot.resolve(source.getRoot().relativize(source));
        this.deletedRoot = deletedRoot;
    }

    public Path source() {
        return source;
    }

    public Path mirror() {
        return mirror;
    }

    /** Every run folder of the deleted area ({@code <root>/<day>/<time>}), in run order. */
    private List<String> runs() throws IOException {
        List<String> runs = new ArrayList<>();
        if (!Files.isDirectory(deletedRoot)) {
            return runs;
        }
        try (DirectoryStream<Path> days = Files.newDirectoryStream(deletedRoot, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")) {
            for (Path day : days) {
                try (DirectoryStream<Path> times = Files.newDirectoryStream(day)) {
                    for (Path time : times) {
                        String name = time.getFileName().toString();
                        String run = day.getFileName() + "/" + name.replaceFirst("\\.manifest$", "");
                        if (name.matches("\\d{2}-\\d{2}-\\d{2}(_\\d+)?(\\.manifest)?") && !runs.contains(run)) {
                            runs.add(run);
                        }
                    }
                }
            }
        }
        runs.sort(RUN_ORDER);
        return runs;
    }

    /** The manifests of this source's mirror, oldest first. */
    public List<RunManifest> manifests() throws IOException {
        List<RunManifest> all = new ArrayList<>();
        for (String run : runs()) {
            Path file = Manifest.file(deletedRoot.resolve(run), source);
            if (Files.isRegularFile(file)) {
                all.add(new RunManifest(run, file, Manifest.header(file).written()));
            }
        }
        return all;
    }

    /** The folders where runs displaced this source's files, oldest first. */
    public List<Displaced> displaced() throws IOException {
        List<Displaced> all = new ArrayList<>();
        Path rel = source.getRoot().relativize(source);
        for (String run : runs()) {
            Path folder = deletedRoot.resolve(run).resolve(rel);
            if (Files.isDirectory(folder)) {
                all.add(new Displaced(run, folder));
            }
        }
        return all;
    }

    /** The last manifest written at or before {@code moment}. */
    public Optional<RunManifest> manifestAt(OffsetDateTime moment) throws IOException {
        RunManifest found = null;
        for (RunManifest m : manifests()) {
            if (!m.written().isAfter(moment)) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }
}
