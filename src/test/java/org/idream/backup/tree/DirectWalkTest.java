package org.idream.backup.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor walk gives every entry of a real tree exactly as the {@link Listing} walk (Java's own lstat by
 * path) does: names byte for byte (not UTF-8, newlines, glob characters), kinds (a FIFO, links dangling or to a
 * folder), sizes (a link's: its target's bytes), both times to the nanosecond, owners, modes,
 * link counts and inodes, in a folder larger than one read of its names and a tree deeper than a few levels.
 */
class DirectWalkTest {
    @TempDir
    Path tmp;

    /** Every entry of the walk, by its path: its fields as text (the Path an entry carries left out). */
    private static Map<String, String> byDirect(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        DirectWalk.walk(root, (dir, entries) -> collect(out, dir, entries));
        return out;
    }

    private static Map<String, String> byListing(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Listing.walk(4, dir -> Listing.of(Names.resolveListed(root, dir)), (dir, entries) -> collect(out, dir, entries));
        return out;
    }

    private static List<String> collect(Map<String, String> out, String dir, List<Entry> entries) {
        List<String> sub = new ArrayList<>();
        for (Entry e : entries) {
            String rel = dir.isEmpty() ? e.name() : dir + "/" + e.name();
            String was = out.put(rel, e.kind() + " size=" + e.size() + " mtime=" + Entry.nanos(e.mtime()) + " ctime="
                    + Entry.nanos(e.ctime()) + " target=" + e.linkTarget() + " nlink=" + e.nlink() + " uid=" + e.uid()
                    + " gid=" + e.gid() + " mode=" + Integer.toOctalString(e.mode()) + " ino=" + e.ino());
            assertEquals(null, was, "each entry once: " + ListedNames.escaped(rel));
            if (e.kind() == Entry.Kind.DIR) {
                sub.add(rel);
            }
        }
        return sub;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void everyEntryAsJavasOwnLstatGivesIt() throws Exception {
        assumeTrue(DirectWalk.available(), "statx and getdents64 through JNA on this machine");
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path odd = Files.createDirectory(root.resolve("odd"));
        Files.writeString(Names.resolve(odd, new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'}), "latin-1");
        Files.writeString(odd.resolve("new\nline"), "x");
        Files.writeString(odd.resolve("*?[a]{b}\\"), "glob");
        Files.writeString(odd.resolve("x".repeat(255)), "the longest name");
        Names.symlink(odd.resolve("link"), ListedNames.of(new byte[] {'t', (byte) 0xff}));
        Files.createSymbolicLink(odd.resolve("to-folder"), Path.of(".."));
        Files.createLink(odd.resolve("hard"), odd.resolve("new\nline"));
        assertEquals(0, new ProcessBuilder("mkfifo", odd.resolve("fifo").toString()).start().waitFor());
        Files.setLastModifiedTime(odd.resolve("hard"), FileTime.from(Instant.ofEpochSecond(946_684_799, 123_456_789)));
        Files.createDirectories(root.resolve("empty"));
        Path deep = root;
        for (int i = 0; i < 40; i++) {
            deep = Files.createDirectories(deep.resolve("level" + i));
            Files.writeString(deep.resolve("f"), "at depth " + i);
        }
        Path flat = Files.createDirectory(root.resolve("flat"));
        for (int i = 0; i < 5_000; i++) {              // some 3 000 names fill one read of a folder's names
            Files.writeString(flat.resolve("a-rather-long-file-name-" + i), Integer.toString(i));
        }
        Map<String, String> direct = byDirect(root);
        Map<String, String> listing = byListing(root);
        List<String> differ = new ArrayList<>();
        for (String rel : new TreeSet<>(union(direct.keySet(), listing.keySet()))) {
            if (!Objects.equals(direct.get(rel), listing.get(rel))) {
                differ.add(ListedNames.escaped(rel) + ": " + direct.get(rel) + ", Java's lstat " + listing.get(rel));
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(5, differ.size())), differ.size() + " entries differ");
        assertEquals(9 + 1 + 80 + 1 + 5_000, direct.size());
        assertTrue(direct.get("odd/fifo").startsWith("OTHER"));
        assertTrue(direct.get("odd/link").startsWith("LINK size=2 "), direct.get("odd/link"));
        assertTrue(direct.get("odd/hard").contains(" mtime=946684799123456789 "), direct.get("odd/hard"));
        assertTrue(direct.get("odd/hard").contains(" nlink=2 "), direct.get("odd/hard"));
    }

    /**
     * A folder opened once gives its entries as Java's lstat by path does (their paths too), and its entries'
     * attributes read through its descriptor ({@code /proc/self/fd/N/NAME}) are those read by their whole paths: a
     * user attribute, an ACL, a default ACL, under names that are not UTF-8; none of a link's target.
     */
    @Test
    void anOpenFolderGivesEntriesAndAttributesAsTheirPathsDo() throws Exception {
        assumeTrue(DirectWalk.available());
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v setfacl && command -v setfattr").start().waitFor() == 0,
                "setfacl and setfattr (Debian's acl and attr packages)");
        Path folder = Files.createDirectory(tmp.resolve("f\u00e9"));
        Path latin = Names.resolve(folder, new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Files.writeString(latin, "latin-1");
        Path sub = Files.createDirectory(folder.resolve("new\nline *?"));
        Files.writeString(folder.resolve("plain"), "no attributes");
        Files.createSymbolicLink(folder.resolve("link"), latin.getFileName());
        String sh = "cd \"$1\" && setfattr -n user.note -v checked caf?* && setfacl -m u:65534:r-- caf?*"
                + " && setfacl -d -m g:65534:r-x \"$2\" && setfattr -n user.kind -v folder \"$2\"";
        assertEquals(0, new ProcessBuilder("sh", "-c", sh, "sh", folder.toString(), sub.toString()).inheritIO().start()
                .waitFor());
        List<Entry> byPath = Listing.of(folder);
        List<Entry> opened;
        Map<String, String> throughFd = new TreeMap<>();
        Map<String, String> whole = new TreeMap<>();
        try (DirectWalk.Folder f = DirectWalk.open(folder)) {
            opened = new ArrayList<>(f.entries());
            for (Entry e : opened) {
                throughFd.put(e.name(), org.idream.backup.names.Xattrs.encode(
                        org.idream.backup.names.Xattrs.read(f.at(e.name()), e.kind() == Entry.Kind.DIR)));
                whole.put(e.name(), org.idream.backup.names.Xattrs.encode(
                        org.idream.backup.names.Xattrs.read(e.path(), e.kind() == Entry.Kind.DIR)));
            }
        }
        opened.sort(java.util.Comparator.comparing(Entry::name));
        assertEquals(byPath, opened, "the same entries, fields and paths");
        assertEquals(whole, throughFd);
        assertTrue(throughFd.get(ListedNames.of(new byte[] {'c', 'a', 'f', (byte) 0xe9})).contains("user.note="), throughFd.toString());
        assertTrue(throughFd.get(ListedNames.of(new byte[] {'c', 'a', 'f', (byte) 0xe9})).contains("system.posix_acl_access="));
        assertTrue(throughFd.get(ListedNames.of("new\nline *?".getBytes(java.nio.charset.StandardCharsets.UTF_8))).contains("system.posix_acl_default="), throughFd.toString());
        assertEquals("", throughFd.get("link"), "a link's own attributes: none (not its target's)");
        assertEquals("", throughFd.get("plain"));
        assertEquals(null, DirectWalk.open(tmp.resolve("gone")), "a folder that does not exist: none");
    }

    /** A walk interrupted (the run stopped by a signal) returns at once, saying so, and visits nothing after. */
    @Test
    void anInterruptedWalkStopsAndVisitsNothingAfterItReturns() throws Exception {
        assumeTrue(DirectWalk.available());
        for (int i = 0; i < 300; i++) {
            Files.createDirectories(tmp.resolve("d" + i + "/e"));
        }
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger visited = new java.util.concurrent.atomic.AtomicInteger();
        Throwable[] thrown = new Throwable[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread walker = new Thread(() -> {
            try {
                DirectWalk.walk(tmp, (dir, entries) -> {
                    if (returned.get()) {
                        late.incrementAndGet();
                    }
                    visited.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                    List<String> sub = new ArrayList<>();
                    for (Entry e : entries) {
                        sub.add(dir.isEmpty() ? e.name() : dir + "/" + e.name());
                    }
                    return sub;
                });
            } catch (Throwable e) {
                thrown[0] = e;
            }
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
            returned.set(true);
        });
        walker.start();
        Thread.sleep(200);
        walker.interrupt();
        walker.join(10_000);
        assertTrue(!walker.isAlive() && thrown[0] instanceof java.io.InterruptedIOException, String.valueOf(thrown[0]));
        assertTrue(stillInterrupted[0], "the interrupt is kept for the caller");
        assertTrue(visited.get() < 601, visited + " of 601 folders: stopped part way");
        Thread.sleep(100);
        assertEquals(0, late.get(), "no folder visited after the walk returned");
    }

    @Test
    void aRootThatIsGoneHasNoEntriesAndAFileIsNoFolder() throws Exception {
        assumeTrue(DirectWalk.available());
        List<String> seen = new ArrayList<>();
        DirectWalk.walk(tmp.resolve("gone"), (dir, entries) -> {
            seen.add(dir + ":" + entries.size());
            return List.of();
        });
        assertEquals(List.of(":0"), seen);
        Path file = Files.writeString(tmp.resolve("file"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> DirectWalk.walk(file, (dir, entries) -> List.of()));
        assertEquals(file + ": not a folder", e.getMessage());
    }
}
