package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `diff` between two restore points and `ls` of one, against what the source held (read with Java's own views). */
class DiffAndLsTest {
    @TempDir
    Path tmp;

    record Out(int code, String out, String err) {
    }

    private static Out command(BackupFixture b, String... args) throws Exception {
        b.writeConfig();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", b.configFile.toString()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = BackupMain.run(all.toArray(String[]::new), Map.of(), new Properties());
            return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String runName(BackupFixture.Run r) throws Exception {
        Path folder = Path.of(r.report().get("deletedFolder").asText());
        return folder.getParent().getFileName() + "/" + folder.getFileName();
    }

    /** A line as ls -l would show the entry now: mode, owner:group, size, path. */
    private static String expected(Path source, String rel) throws Exception {
        Path p = source.resolve(rel);
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String kind = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "-";
        return kind + PosixFilePermissions.toString(a.permissions()) + " " + String.format("%-17s %12d",
                a.owner().getName() + ":" + a.group().getName(), a.isDirectory() ? 0 : a.size());
    }

    @Test
    void diffSaysWhatWasAddedRemovedAndChangedAndLsListsEachRestorePoint() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("a/gone.txt"), "to be removed");
        write(s.resolve("a/rewritten.txt"), "version 1");
        write(s.resolve("a/mode.txt"), "mode");
        write(s.resolve("a/attr.txt"), "attr");
        write(s.resolve("b/kept.txt"), "kept");
        Files.setPosixFilePermissions(s.resolve("a/mode.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        String goneBefore = expected(s, "a/gone.txt");
        String first = runName(b.run().expect(0));

        Files.delete(s.resolve("a/gone.txt"));
        Path rewritten = s.resolve("a/rewritten.txt");
        var mtime = Files.getLastModifiedTime(rewritten);
        Files.writeString(rewritten, "version 2");                      // same size, same time: only the hash tells
        Files.setLastModifiedTime(rewritten, mtime);
        Files.setPosixFilePermissions(s.resolve("a/mode.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.getFileAttributeView(s.resolve("a/attr.txt"), UserDefinedFileAttributeView.class)
                .write("site", StandardCharsets.UTF_8.encode("idream"));
        write(s.resolve("a/new.txt"), "new");
        String second = runName(b.run("--full").expect(0));

        Out diff = command(b, "diff");
        assertEquals(0, diff.code(), diff.err());
        List<String> lines = diff.out().lines().toList();
        assertEquals(List.of("== " + s + ": run " + first + " -> run " + second,
                "m a/attr.txt    (ACLs or attributes)",
                "- a/gone.txt    (13 B)",
                "m a/mode.txt    (mode 0644 -> 0600)",
                "+ a/new.txt    (3 B)",
                "M a/rewritten.txt    (content)",
                "1 added, 1 removed, 1 changed in content, 2 in metadata only"), lines);

        Out named = command(b, "diff", first, second, s.resolve("b").toString());
        assertEquals(0, named.code(), named.err());
        assertTrue(named.out().endsWith("0 added, 0 removed, 0 changed in content, 0 in metadata only\n"), named.out());

        Out then = command(b, "ls", "--as-of", first, s.resolve("a").toString());
        assertEquals(0, then.code(), then.err());
        String gone = then.out().lines().filter(l -> l.endsWith(" a/gone.txt")).findFirst().orElseThrow(
                () -> new AssertionError(then.out()));
        assertTrue(gone.startsWith(goneBefore), gone + " vs " + goneBefore);
        assertTrue(then.out().contains(" a/mode.txt") && then.out().lines().anyMatch(l -> l.startsWith("-rw-r--r-- ")
                && l.endsWith(" a/mode.txt")), then.out());

        Out now = command(b, "ls", s.resolve("a").toString());
        assertFalse(now.out().contains("a/gone.txt"), now.out());
        for (String rel : List.of("a", "a/mode.txt", "a/new.txt", "a/rewritten.txt")) {
            String e = expected(s, rel);
            assertTrue(now.out().lines().anyMatch(l -> l.startsWith(e) && l.endsWith(" " + rel + (rel.equals("a")
                    ? "/" : ""))), e + " " + rel + " in:\n" + now.out());
        }
        assertTrue(now.out().endsWith("5 entries\n"), now.out());

        Out bad = command(b, "diff", "yesterday-ish");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--as-of 'yesterday-ish' is not a restore point"), bad.err());
    }
}
