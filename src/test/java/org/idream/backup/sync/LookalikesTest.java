package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import org.idream.backup.model.SyncKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regular files named {@code *.rclonelink} (rclone 1.60 with {@code --links} takes them for links and fails
 * the directory, every night): backed up, changed, deleted, with a link named alike beside one, by the full
 * sync and the change-guided one, every displaced version in the deleted area.
 */
class LookalikesTest {
    @TempDir
    Path tmp;

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @Test
    void filesRcloneTakesForLinksAreBackedUpAndTheirVersionsKept() throws Exception {
        Path source = tmp.resolve("ceph/exp/data");
        write(source.resolve("odd/plain.rclonelink"), "version 1");
        write(source.resolve("odd/other.txt"), "other");
        write(source.resolve("odd/alike.rclonelink"), "a file beside a link named alike");
        Files.createSymbolicLink(source.resolve("odd/alike"), Path.of("other.txt"));
        SyncHarness h = new SyncHarness(tmp, source, Map.of());

        DirectoryJob first = h.run(false);
        assertEquals(SyncKind.FULL, first.kind());
        Path mirror = first.directory().mirror();
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(mirror), "the mirror holds all of it");

        write(source.resolve("odd/plain.rclonelink"), "version 2, longer");
        Files.delete(source.resolve("odd/alike"));
        Files.createSymbolicLink(source.resolve("odd/alike"), Path.of("plain.rclonelink"));
        DirectoryJob guided = h.run(false);
        assertEquals(SyncKind.RCTIME, guided.kind(), guided.reason());
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(mirror));
        Path area = guided.directory().deletedArea();
        assertEquals("version 1", Files.readString(area.resolve("odd/plain.rclonelink")));
        assertEquals(Path.of("other.txt"), Files.readSymbolicLink(area.resolve("odd/alike")));

        write(source.resolve("odd/plain.rclonelink"), "version 3");
        Files.delete(source.resolve("odd/alike.rclonelink"));
        DirectoryJob full = h.run(true);
        assertEquals(SyncKind.FULL, full.kind());
        assertEquals(SyncHarness.describe(source), SyncHarness.describe(mirror));
        Path fullArea = full.directory().deletedArea();
        assertEquals("version 2, longer", Files.readString(fullArea.resolve("odd/plain.rclonelink")));
        assertEquals("a file beside a link named alike", Files.readString(fullArea.resolve("odd/alike.rclonelink")));
        assertFalse(Files.exists(mirror.resolve("odd/alike.rclonelink"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(mirror.resolve("odd/alike")));
    }
}
