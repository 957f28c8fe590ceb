package org.idream.backup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlanTest {
    @TempDir
    Path tmp;

    @Test
    void aRunInTheSameSecondGetsASuffixedFolderOfTheDeletedArea() throws IOException {
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 27, 1, 30, 5, 0, ZoneId.of("UTC"));
        Path first = Layout.runFolder(tmp, at);
        assertEquals(tmp.resolve("2026-11-27/01-30-05"), first);
        Files.createDirectories(first);
        Path second = Layout.runFolder(tmp, at);
        assertEquals(tmp.resolve("2026-11-27/01-30-05_2"), second);
        Files.createDirectories(Layout.manifestFolder(second));
        assertEquals(tmp.resolve("2026-11-27/01-30-05_3"), Layout.runFolder(tmp, at), "manifests alone count too");
    }

    @Test
    void mirrorAndDeletedAreaAreTheRootPlusTheSourcesAbsolutePath() {
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 27, 1, 30, 5, 0, ZoneId.of("UTC"));
        RunPlan plan = RunPlan.of(at, false, false, List.of(Path.of("/ceph/data/exp/idream/data")), Path.of("/backup/main"),
                Path.of("/backup/deleted"));
        DirectoryPlan d = plan.directories().get(0);
        assertEquals("2026-11-27/01-30-05", plan.name());
        assertEquals(Path.of("/backup/main/ceph/data/exp/idream/data"), d.mirror());
        assertEquals(Path.of("/backup/deleted/2026-11-27/01-30-05/ceph/data/exp/idream/data"), d.deletedArea());
    }
}
