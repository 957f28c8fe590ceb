package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What leaves a mirror goes to the deleted area where rclone's --backup-dir would put it, and nothing is lost. */
class DisplacerTest {
    @TempDir
    Path tmp;

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @Test
    void aFileALinkAndAWholeFolderMoveWithTheirContent() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Path deleted = tmp.resolve("deleted");
        write(mirror.resolve("a/f"), "f");
        write(mirror.resolve("tree/x/y"), "y");
        write(mirror.resolve("tree/z"), "z");
        Files.createDirectories(mirror.resolve("tree/empty"));
        Files.createSymbolicLink(mirror.resolve("a/l"), Path.of("/etc/passwd"));
        Displacer d = new Displacer(mirror, deleted, RcloneFilters.NONE);
        d.displace("a/f");
        d.displace("a/l");
        d.displace("tree");
        d.displace("not-there");
        assertEquals(4, d.moved(), "files and links moved");
        assertEquals("f", Files.readString(deleted.resolve("a/f")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(deleted.resolve("a/l")));
        assertEquals("y", Files.readString(deleted.resolve("tree/x/y")));
        assertEquals("z", Files.readString(deleted.resolve("tree/z")));
        assertFalse(Files.exists(mirror.resolve("tree"), LinkOption.NOFOLLOW_LINKS), "the emptied folders removed");
        assertTrue(Files.isDirectory(mirror.resolve("a")));
    }

    @Test
    void whatTheRulesExcludeStaysInTheMirrorAsRcloneLeavesIt() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Path deleted = tmp.resolve("deleted");
        write(mirror.resolve("tree/keep.dat"), "k");
        write(mirror.resolve("tree/skip.tmp"), "s");
        write(mirror.resolve("tree/cache/c.dat"), "c");
        Path exclude = Files.writeString(tmp.resolve("exclude.txt"), "*.tmp\ncache/\n");
        RcloneFilters filters = RcloneFilters.of(new RcloneSetup("rclone", Optional.empty(), Optional.of(exclude),
                Optional.empty()));
        Displacer d = new Displacer(mirror, deleted, filters);
        d.displace("tree");
        assertEquals(1, d.moved());
        assertEquals("k", Files.readString(deleted.resolve("tree/keep.dat")));
        assertEquals("s", Files.readString(mirror.resolve("tree/skip.tmp")), "excluded: left where it is");
        assertEquals("c", Files.readString(mirror.resolve("tree/cache/c.dat")));
        d.displace("tree/skip.tmp");
        assertTrue(Files.exists(mirror.resolve("tree/skip.tmp")), "an excluded file is never displaced");
    }

    @Test
    void aPathDisplacedTwiceInOneRunKeepsTheFirstVersion() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Path deleted = tmp.resolve("deleted");
        write(mirror.resolve("f"), "the mirror's old version");
        Displacer d = new Displacer(mirror, deleted, RcloneFilters.NONE);
        d.displace("f");
        write(mirror.resolve("f"), "this run's own copy");
        d.displace("f");
        assertEquals("the mirror's old version", Files.readString(deleted.resolve("f")));
        assertFalse(Files.exists(mirror.resolve("f")));
        assertEquals(1, d.moved());
    }
}
