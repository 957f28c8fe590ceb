package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the real world, each with its expected outcome, and each checking that nothing was lost:
 * a full backup disk (a small tmpfs), an unreadable source file (root without CAP_DAC_*), files
 * changing while rclone reads them, the source mount lost mid-sync (lazy unmount), a run across
 * midnight. Needs root (mounts, capabilities).
 */
class FaultsIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void root() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                || "required".equals(System.getenv("CEPHLAB")), "needs root: mounts and capabilities");
    }

    private static Processes.Done sh(Path cwd, String script) throws Exception {
        return Processes.run(cwd, List.of("bash", "-c", script), 600);
    }

    private JsonNode run(BackupFixture b, String... prefix) throws Exception {
        b.writeConfig();
        List<Path> before = b.logs();
        List<String> command = new ArrayList<>(List.of(prefix));
        command.addAll(List.of(Processes.LAUNCHER.toString(), "--once", "--config", b.configFile.toString()));
        Processes.run(tmp, command, 900);
        List<Path> after = b.logs();
        after.removeAll(before);
        return BackupFixture.JSON.readTree(after.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                .orElseThrow().toFile());
    }

    /** Every file of {@code before} (a mirror's state) is still in the mirror or in some run's deleted area. */
    private static void nothingLost(BackupFixture b, Path source, TreeMap<String, String> before) throws Exception {
        Map<String, String> now = Trees.filesAndLinks(b.mirror(source));
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (e.getValue().equals(now.get(e.getKey()))) {
                continue;
            }
            boolean kept = false;
            for (Path area : b.deletedAreas(source)) {
                Path copy = area.resolve(e.getKey());
                if (Files.isRegularFile(copy) && e.getValue().equals("file " + Trees.sha256(Files.readAllBytes(copy)))) {
                    kept = true;
                }
            }
            assertTrue(kept, "lost: " + e.getKey() + " " + e.getValue());
        }
    }

    @Test
    void aFullBackupDiskFailsClearlyAndAfterSpaceIsFreedTheNextRunCompletesWithNothingLost() throws Exception {
        Path disk = tmp.resolve("backup");
        Files.createDirectories(disk);
        assertEquals(0, sh(tmp, "mount -t tmpfs -o size=24m tmpfs '" + disk + "'").code());
        try {
            BackupFixture b = new BackupFixture(tmp, "data");
            Path s = b.source(0);
            for (int i = 0; i < 8; i++) {
                Files.write(s.resolve("small-" + i + ".bin"), Trees.bytes(1 << 20, i));
            }
            assertEquals("success", run(b).get("outcome").asText());
            TreeMap<String, String> before = Trees.filesAndLinks(b.mirror(s));

            for (int i = 0; i < 4; i++) {
                Files.write(s.resolve("small-" + i + ".bin"), Trees.bytes(1 << 20, 100 + i)); // displaces 4 MiB
            }
            Files.write(s.resolve("big.bin"), Trees.bytes(20 << 20, 7));                  // 20 MiB more: too much
            JsonNode full = run(b);
            assertEquals("failed", full.get("outcome").asText());
            String error = full.get("directories").get(0).get("error").asText();
            assertTrue(error.contains("no space left on device") || error.contains("remaining disk space"), error);
            nothingLost(b, s, before);

            assertEquals(0, sh(tmp, "mount -o remount,size=200m '" + disk + "'").code()); // space freed
            JsonNode next = run(b);
            assertEquals("success", next.get("outcome").asText(), next.toString());
            Trees.assertSameTree(s, b.mirror(s));
            nothingLost(b, s, before);
        } finally {
            sh(tmp, "umount -l '" + disk + "'");
        }
    }

    @Test
    void anUnreadableSourceFileIsReportedAndTheRestSynced() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("readable-1.txt"), "one");
        write(s.resolve("secret.txt"), "cannot be read");
        write(s.resolve("sub/readable-2.txt"), "two");
        Files.setPosixFilePermissions(s.resolve("secret.txt"), java.util.Set.of());
        // root without the capabilities that let it read any file: permissions apply to it
        JsonNode report = run(b, "setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--");
        assertEquals("failed", report.get("outcome").asText());
        assertEquals(1, report.get("exitCode").asInt());
        JsonNode d = report.get("directories").get(0);
        assertTrue(d.get("error").asText().contains("permission denied"), d.toString());
        assertEquals("one", Files.readString(b.mirror(s).resolve("readable-1.txt")));
        assertEquals("two", Files.readString(b.mirror(s).resolve("sub/readable-2.txt")));
        assertFalse(Files.exists(b.mirror(s).resolve("secret.txt")));
    }

    @Test
    void filesChangingWhileRcloneReadsThemEndConsistent() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        Files.write(s.resolve("growing.log"), Trees.bytes(2 << 20, 1));
        Files.write(s.resolve("steady.bin"), Trees.bytes(3 << 20, 2));
        b.faultyRclone("EXTRA='--bwlimit 1M'\n");
        // a writer appends to growing.log for 4 seconds while the sync reads it
        Process writer = new ProcessBuilder("bash", "-c", "for i in $(seq 40); do head -c 10000 /dev/urandom >> '"
                + s.resolve("growing.log") + "'; sleep 0.1; done").start();
        JsonNode during = run(b);
        writer.waitFor();
        assertTrue(List.of("success", "failed").contains(during.get("outcome").asText()), during.toString());
        b.faultyRclone("MATCH=nothing\n");
        JsonNode after = run(b);
        assertEquals("success", after.get("outcome").asText(), after.toString());
        Trees.assertSameTree(s, b.mirror(s));
    }

    @Test
    void theSourceMountLostMidSyncMovesNothingEnMasse() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        assertEquals(0, sh(tmp, "mount -t tmpfs -o size=64m tmpfs '" + s + "'").code());
        try {
            for (int i = 0; i < 50; i++) {
                write(s.resolve("f" + i + ".txt"), "file " + i);
            }
            assertEquals("success", run(b).get("outcome").asText());
            TreeMap<String, String> before = Trees.filesAndLinks(b.mirror(s));
            Files.write(s.resolve("slow.bin"), Trees.bytes(8 << 20, 3));
            b.faultyRclone("EXTRA='--bwlimit 1M'\n");
            b.writeConfig();
            Process backup = new ProcessBuilder(Processes.LAUNCHER.toString(), "--once", "--config",
                    b.configFile.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("run.out").toFile())
                    .start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(tmp.resolve("run.out")).contains("] progress:")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, sh(tmp, "umount -l '" + s + "'").code()); // the mount goes away mid-sync
            backup.waitFor();
            long displaced = 0;
            for (Path area : b.deletedAreas(s)) {
                try (Stream<Path> files = Files.walk(area)) {
                    displaced += files.filter(Files::isRegularFile).count();
                }
            }
            assertEquals(0, displaced, "no mass move into the deleted area");
            assertEquals(before, Trees.filesAndLinks(b.mirror(s)).entrySet().stream()
                    .filter(e -> before.containsKey(e.getKey())).collect(TreeMap::new,
                            (m, e) -> m.put(e.getKey(), e.getValue()), TreeMap::putAll), "the mirror kept its files");
        } finally {
            sh(tmp, "mountpoint -q '" + s + "' && umount -l '" + s + "'; true");
        }
    }

    @Test
    void aRunAcrossMidnightKeepsItsDayAndRetentionStaysRight() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        write(s.resolve("a.txt"), "version 1");
        b.config.put("backup.retention-days", "1");
        JsonNode first = run(b, "env");
        b.faultyRclone("SLEEP=25\n");   // the next run starts ~20 s before midnight and lasts over 25 s
        b.writeConfig();
        List<Path> logs = b.logs();
        write(s.resolve("a.txt"), "version 2");
        LocalDateTime now = LocalDateTime.now();
        Duration toJustBefore = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay()).minusSeconds(20);
        Processes.Done across = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString(), "-Dbackup.clock.offset=" + toJustBefore), 300);
        assertEquals(0, across.code(), across.output());
        List<Path> after = b.logs();
        after.removeAll(logs);
        JsonNode report = BackupFixture.JSON.readTree(after.stream().filter(p -> p.toString().endsWith(".json"))
                .findFirst().orElseThrow().toFile());
        LocalDateTime start = OffsetDateTime.parse(report.get("start").asText()).atZoneSameInstant(ZoneId.systemDefault())
                .toLocalDateTime();
        LocalDateTime end = OffsetDateTime.parse(report.get("end").asText()).atZoneSameInstant(ZoneId.systemDefault())
                .toLocalDateTime();
        assertTrue(start.toLocalDate().isBefore(end.toLocalDate()), "the run crossed midnight: " + start + " " + end);
        Path area = Path.of(report.get("directories").get(0).get("deletedArea").asText());
        assertTrue(area.toString().contains("/" + start.toLocalDate() + "/"), "its folder has the start's day: " + area);
        assertEquals("version 1", Files.readString(area.resolve("a.txt")));
        // as of a moment after midnight, the run's state; a day later, retention (1 day) keeps its folder
        Path restored = tmp.resolve("r");
        assertEquals(0, b.command("restore", s.toString(), "--to", restored.toString(), "--as-of",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(end.plusMinutes(1))));
        assertEquals("version 2", Files.readString(restored.resolve("a.txt")));
        b.faultyRclone("MATCH=nothing\n");
        b.writeConfig();
        LocalDateTime nextNoon = start.toLocalDate().plusDays(1).atTime(12, 0);
        Processes.Done dayLater = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString(), "-Dbackup.clock.offset=" + Duration.between(LocalDateTime.now(), nextNoon)), 300);
        assertEquals(0, dayLater.code(), dayLater.output());
        assertTrue(Files.exists(area.resolve("a.txt")), "kept: its day is not older than 1 day");
        Processes.Done twoDaysLater = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once",
                "--config", b.configFile.toString(), "-Dbackup.clock.offset="
                        + Duration.between(LocalDateTime.now(), nextNoon.plusDays(1))), 300);
        assertEquals(0, twoDaysLater.code(), twoDaysLater.output());
        assertFalse(Files.exists(area), "removed once older than 1 day by its name");
        assertEquals("success", first.get("outcome").asText());
    }
}
