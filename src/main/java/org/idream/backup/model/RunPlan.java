package org.idream.backup.model;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What one run will do, decided at its start and never changed: when it started, whether it is a dry
 * run, whether a full sync was asked for ({@code --full}), its folder of the deleted area, and every
 * directory with its mirror and deleted area.
 */
public record RunPlan(ZonedDateTime started, boolean dryRun, boolean full, Path runFolder,
        List<DirectoryPlan> directories) {

    public RunPlan {
        directories = List.copyOf(directories);
    }

    /** The plan of a run starting {@code at}: every source, mirrored below main-root. */
    public static RunPlan of(ZonedDateTime at, boolean dryRun, boolean full, List<Path> sources, Path mainRoot,
            Path deletedRoot) {
        Path runFolder = Layout.runFolder(deletedRoot, at);
        return new RunPlan(at, dryRun, full, runFolder, sources.stream().map(s -> new DirectoryPlan(s,
                Layout.mirror(mainRoot, s), runFolder.resolve(Layout.relative(s)))).toList());
    }

    /** This run's name in the deleted area: {@code YYYY-MM-DD/HH-MM-SS}. */
    public String name() {
        return Layout.runName(runFolder);
    }
}
