package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile names and shapes, made with bash and compared with diff(1): newline, tab, invalid UTF-8,
 * 255-byte names, leading dashes, quotes, shell syntax;
 * 100 levels deep, symlink loops, a FIFO, empty folders; a 5 GB sparse file; 200 000 files in one
 * folder.
 */
class HostileTreeIT {
    private static final Path TREE = Path.of("src/test/resources/bin/hostile-tree.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    private static Processes.Done sh(Path cwd, String script) throws Exception {
        return Processes.run(cwd, List.of("bash", "-c", script), 600);
    }

    private JsonNode run(BackupFixture b, int expected) throws Exception {
        List<Path> before = b.logs();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 1800);
        assertEquals(expected, done.code(), done.output());
        List<Path> after = b.logs();
        after.removeAll(before);
        return BackupFixture.JSON.readTree(after.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                .orElseThrow().toFile());
    }

    @Test
    void hostileNamesAndShapesAreBackedUpDisplacedAndRestored() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "hostile");
        Path s = b.source(0);
        assertEquals(0, sh(tmp, TREE + " " + s).code());
        b.writeConfig();

        JsonNode first = run(b, 0);
        Processes.Done diff = sh(tmp, "diff -r --no-dereference '" + s + "' '" + b.mirror(s) + "'");
        assertEquals("Only in " + s.resolve("shapes") + ": fifo", diff.output().strip(),
                "everything but the FIFO is in the mirror, byte for byte");
        String log = Files.readString(Path.of(first.get("log").asText()));
        assertTrue(log.contains("fifo: Can't transfer non file/directory"), "the FIFO is reported");
        assertFalse(Files.exists(tmp.resolve("pwned")), "no shell ever saw a name");
        assertEquals("passed", first.get("directories").get(0).get("validation").asText());
        assertEquals(0, run(b, 0).get("directories").get(0).get("filesTransferred").asInt(), "a second run: nothing");

        // the moment after the first runs, a copy of the tree then, and changes to the worst names
        Path snapshot = tmp.resolve("snapshot");
        assertEquals(0, sh(tmp, "cp -a '" + s + "' '" + snapshot + "' && rm '" + snapshot + "/shapes/fifo'").code());
        Instant moment = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(moment.plusMillis(1200))) {   // a moment to the second: the whole second
            Thread.sleep(50);
        }
        assertEquals(0, sh(s.resolve("names"), "printf 'changed\\n' > \"$(printf 'new\\nline.txt')\"; "
                + "printf 'changed\\n' > \"$(printf 'bad\\xff\\xfe-latin1-\\xe9.bin')\"; rm -- -leading-dash.txt; "
                + "printf 'changed too\\n' > plain.rclonelink").code());
        JsonNode third = run(b, 0);
        assertEquals(4, third.get("directories").get(0).get("filesMovedToDeleted").asInt());
        Path area = Path.of(third.get("directories").get(0).get("deletedArea").asText());
        assertEquals(0, sh(tmp, "cmp \"" + snapshot + "/names/$(printf 'new\\nline.txt')\" \"" + area
                + "/names/$(printf 'new\\nline.txt')\" && cmp \"" + snapshot + "/names/$(printf 'bad\\xff\\xfe-latin1-\\xe9.bin')\" \""
                + area + "/names/$(printf 'bad\\xff\\xfe-latin1-\\xe9.bin')\" && cmp '" + snapshot
                + "/names/plain.rclonelink' '" + area + "/names/plain.rclonelink'").code(), "old versions displaced intact");

        // restore as of the moment: everything comes back, every name byte for byte, the empty folders too
        Path restored = tmp.resolve("restored");
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault()).format(moment);
        assertEquals(0, b.command("restore", s.toString(), "--to", restored.toString(), "--as-of", when));
        Processes.Done compare = sh(tmp, "diff -r --no-dereference '" + snapshot + "' '" + restored + "'");
        assertEquals("", compare.output().strip(), "the restore equals the tree as it was");
        // and the latest state, from the mirror
        Path latest = tmp.resolve("latest");
        assertEquals(0, b.command("restore", s.toString(), "--to", latest.toString()));
        Processes.Done now = sh(tmp, "diff -r --no-dereference '" + s + "' '" + latest + "'");
        assertEquals("Only in " + s.resolve("shapes") + ": fifo", now.output().strip());
    }

    @Test
    void aFiveGigabyteSparseFileIsBackedUpWhole() throws Exception {
        FileStore store = Files.getFileStore(tmp);
        Assumptions.assumeTrue(store.getUsableSpace() > 20L << 30, "needs 20 GB free for the mirror's copy");
        BackupFixture b = new BackupFixture(tmp, "big");
        Path s = b.source(0);
        assertEquals(0, sh(s, "truncate -s 5G sparse.img && printf 'end' | dd of=sparse.img bs=1 seek=5368709000 "
                + "conv=notrunc status=none").code());
        b.writeConfig();
        JsonNode run = run(b, 0);
        assertEquals(5L << 30, Files.size(b.mirror(s).resolve("sparse.img")));
        assertEquals(0, sh(tmp, "cmp '" + s + "/sparse.img' '" + b.mirror(s) + "/sparse.img'").code());
        assertEquals(5L << 30, run.get("directories").get(0).get("sourceBytes").asLong());
    }

    @Test
    void twoHundredThousandFilesInOneFolder() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "many");
        Path dir = b.source(0).resolve("one-folder");
        Files.createDirectories(dir);
        int n = Integer.getInteger("hostile.many", 200_000);
        for (int i = 0; i < n; i++) {
            Files.writeString(dir.resolve("f" + i), Integer.toString(i));
        }
        b.writeConfig();
        JsonNode first = run(b, 0).get("directories").get(0);
        assertEquals(n, first.get("mirrorFiles").asInt());
        assertEquals(n, first.get("filesTransferred").asInt());
        try (var files = Files.list(b.mirror(b.source(0)).resolve("one-folder"))) {
            assertEquals(n, files.count());
        }
        Files.delete(dir.resolve("f7"));
        JsonNode second = run(b, 0).get("directories").get(0);
        assertEquals(0, second.get("filesTransferred").asInt());
        assertEquals(1, second.get("filesMovedToDeleted").asInt());
        assertEquals(n - 1, second.get("mirrorFiles").asInt());
    }

}
