package org.idream.backup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.Layout;

/**
 * What the backup holds of one source: its mirror, the folders of the deleted area where runs
 * displaced its files, and the manifests of its mirror after each run, all in run order.
 */
public final class Archive {
    /** One run's manifest of this source's mirror; {@code started}: when its run started (its restore point's start). */
    public record RunManifest(String run, Path file, OffsetDateTime written, OffsetDateTime started) {
    }

    /** One run's folder of displaced files of this source. */
    public record Displaced(String run, Path folder) {
    }

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss");
    private final Path source;
    private final Path mirror;
    private final Path deletedRoot;

    public Archive(Path source, Path mainRoot, Path deletedRoot) {
        this.source = source;
        this.mirror = Layout.mirror(mainRoot, source);
        this.deletedRoot = deletedRoot;
    }

    public Path source() {
        return source;
    }

    public Path mirror() {
        return mirror;
    }

    /** Every run folder of the deleted area ({@code <root>/<day>/<time>}, or its manifests' folder), in run order. */
    public List<String> runs() throws IOException {
        return Layout.runs(deletedRoot);
    }

    /** The manifests of this source's mirror, oldest first. */
    public List<RunManifest> manifests() throws IOException {
        List<RunManifest> all = new ArrayList<>();
        for (String run : runs()) {
            Path file = Layout.manifestFile(deletedRoot.resolve(run), source);
            if (Files.isRegularFile(file)) {
                Manifest.Header h = ManifestReader.header(file);
                all.add(new RunManifest(run, file, h.written(), h.started() != null ? h.started() : start(run)));
            }
        }
        return all;
    }

    /** The folders where runs displaced this source's files, oldest first. */
    public List<Displaced> displaced() throws IOException {
        List<Displaced> all = new ArrayList<>();
        Path rel = Layout.relative(source);
        for (String run : runs()) {
            Path folder = deletedRoot.resolve(run).resolve(rel);
            if (Files.isDirectory(folder)) {
                all.add(new Displaced(run, folder));
            }
        }
        return all;
    }

    /**
     * The manifest a restore point names: the run's own (or, where that run did not record this source, the
     * last one before it); for a moment, the one of the last run that started at or before it.
     */
    public Optional<RunManifest> manifestAt(AsOf at) throws IOException {
        RunManifest found = null;
        for (RunManifest m : manifests()) {
            if (at.run() != null ? Layout.RUN_ORDER.compare(m.run(), at.run()) <= 0 : !m.started().isAfter(at.moment())) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    /** When a run started, from its name (local time, to the second): for manifests that do not say it. */
    public static OffsetDateTime start(String run) {
        LocalDateTime t = LocalDateTime.parse(run.replaceFirst("_\\d+$", ""), NAME);
        return t.atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }
}
