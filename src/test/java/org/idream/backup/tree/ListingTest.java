package org.idream.backup.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One level of a directory, read as rclone and CephFS see it, on real temporary trees. */
class ListingTest {
    @TempDir
    Path tmp;

    @Test
    void everyEntryWithItsKindSizeTimesAndOwner() throws Exception {
        Files.writeString(tmp.resolve("file"), "12345");
        Files.setLastModifiedTime(tmp.resolve("file"), FileTime.fromMillis(1_000_000_000_123L));
        Files.createDirectory(tmp.resolve("dir"));
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("dir/ünï"));
        Files.createLink(tmp.resolve("hard"), tmp.resolve("file"));
        assertEquals(0, new ProcessBuilder("mkfifo", tmp.resolve("fifo").toString()).start().waitFor());

        List<Entry> entries = Listing.of(tmp);
        assertEquals(List.of("dir", "fifo", "file", "hard", "link"), entries.stream().map(Entry::name).toList(),
                "sorted by name");
        Entry file = entries.get(2);
        assertEquals(Entry.Kind.FILE, file.kind());
        assertEquals(5, file.size());
        assertEquals(FileTime.fromMillis(1_000_000_000_123L), file.mtime());
        assertEquals(2, file.nlink(), "a hard-linked file");
        assertEquals((Integer) Files.getAttribute(tmp.resolve("file"), "unix:uid"), file.uid());
        assertEquals(Files.getAttribute(tmp.resolve("file"), "unix:ctime"), file.ctime());
        assertEquals(Entry.Kind.DIR, entries.get(0).kind());
        assertEquals(Entry.Kind.OTHER, entries.get(1).kind(), "a FIFO: rclone skips it");
        Entry link = entries.get(4);
        assertEquals(Entry.Kind.LINK, link.kind());
        assertEquals("dir/ünï", ListedNames.remote(link.linkTarget()), "the target, in the listing's form");
        assertEquals("dir/ünï".getBytes(StandardCharsets.UTF_8).length, link.size(),
                "a link's size is its target's length in bytes, as rclone's .rclonelink object");
        assertEquals("link.rclonelink", link.remoteName());
        assertEquals(List.of(), Listing.of(tmp.resolve("gone")), "a folder that is gone has nothing");
        assertNull(Listing.entry(tmp.resolve("gone")));
    }

    @Test
    void everyNameIsReadByteForByteInTheListingsForm() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};
        Files.writeString(Names.resolve(dir, latin1), "not UTF-8");
        Files.writeString(dir.resolve("new\nline"), "x");
        Names.symlink(dir.resolve("link"), ListedNames.of(new byte[] {'t', (byte) 0xff}));
        List<Entry> entries = Listing.of(dir);
        assertEquals(3, entries.size());
        for (Entry e : entries) {
            assertTrue(Files.exists(Names.resolveListed(dir, e.name()), LinkOption.NOFOLLOW_LINKS),
                    ListedNames.escaped(e.name()));
        }
        Entry cafe = entries.stream().filter(e -> ListedNames.escaped(e.name()).equals("caf\\xe9.txt")).findFirst()
                .orElseThrow();
        assertEquals(9, cafe.size());
        assertTrue(Arrays.equals(latin1, ListedNames.raw(cafe.name())));
        Entry link = entries.stream().filter(e -> e.kind() == Entry.Kind.LINK).findFirst().orElseThrow();
        assertEquals("t\\xff", ListedNames.escaped(link.linkTarget()));
        assertEquals(2, link.size(), "the target's bytes");
        assertTrue(entries.stream().anyMatch(e -> e.name().equals(ListedNames.of("new\nline"))));
    }

    @Test
    void theEntriesASyncConsidersWithTheExcludeFilesRules() throws Exception {
        Files.createDirectories(tmp.resolve("src/cache"));
        Files.createDirectories(tmp.resolve("src/keep"));
        Files.writeString(tmp.resolve("src/a.tmp"), "x");
        Files.writeString(tmp.resolve("src/a.dat"), "x");
        Files.createSymbolicLink(tmp.resolve("src/l.tmp"), Path.of("a.dat"));
        Files.createSymbolicLink(tmp.resolve("src/l"), Path.of("a.dat"));
        Path exclude = Files.writeString(tmp.resolve("exclude.txt"), "*.tmp\ncache/\n");
        RcloneFilters filters = RcloneFilters.of(new RcloneSetup("rclone", Optional.empty(), Optional.of(exclude),
                Optional.empty()));
        assertEquals(List.of("a.dat", "keep", "l"), List.copyOf(Listing.considered(tmp.resolve("src"), "", filters)
                .keySet()));
        assertTrue(Listing.includesLink(filters, "l") && !Listing.includesLink(filters, "l.tmp"));
    }

    @Test
    void manyPathsAreReadAFewAtOnceInTheirOrder() throws Exception {
        List<Path> paths = IntStream.range(0, 200).mapToObj(i -> tmp.resolve("f" + i)).toList();
        for (Path p : paths) {
            Files.writeString(p, p.getFileName().toString());
        }
        List<Long> sizes = Listing.each(paths, p -> Files.size(p));
        assertEquals(paths.stream().map(p -> (long) p.getFileName().toString().length()).toList(), sizes);
        Path missing = tmp.resolve("missing");
        assertThrows(NoSuchFileException.class, () -> Listing.each(
                IntStream.range(0, 50).mapToObj(i -> i == 37 ? missing : paths.get(i)).toList(),
                p -> Files.size(p)), "the first failure, as it was thrown");
        assertTrue(Files.exists(paths.get(0), LinkOption.NOFOLLOW_LINKS));
    }
}
