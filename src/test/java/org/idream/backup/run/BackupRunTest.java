package org.idream.backup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRunTest {
    @TempDir
    Path tmp;

    @Test
    void aRunInTheSameSecondGetsASuffixedFolderOfTheDeletedArea() throws IOException {
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 27, 1, 30, 5, 0, ZoneId.of("UTC"));
        Path first = BackupRun.deletedFolder(tmp, at);
        assertEquals(tmp.resolve("2026-11-27/01-30-05"), first);
        Files.createDirectories(first);
        Path second = BackupRun.deletedFolder(tmp, at);
        assertEquals(tmp.resolve("2026-11-27/01-30-05_2"), second);
        Files.createDirectories(second);
        assertEquals(tmp.resolve("2026-11-27/01-30-05_3"), BackupRun.deletedFolder(tmp, at));
    }

    @Test
    void mirrorAndDeletedAreaAreTheRootPlusTheSourcesAbsolutePath() {
        BackupRun run = new BackupRun(ZonedDateTime.now(), false);
        run.deletedFolder(Path.of("/backup/deleted/2026-11-27/01-30-05"));
        run.plan(Path.of("/ceph/data/exp/idream/data"), Path.of("/backup/main"));
        DirectoryRun d = run.getDirectories().get(0);
        assertEquals(Path.of("/backup/main/ceph/data/exp/idream/data"), d.mirror());
        assertEquals(Path.of("/backup/deleted/2026-11-27/01-30-05/ceph/data/exp/idream/data"), d.deletedArea());
    }
}
