package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.idream.backup.safety.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bin/backup config` and `bin/backup check`, and typos in -D and the environment. */
class CommandsTest {
    @TempDir
    Path tmp;

    record Out(int code, String out, String err) {
    }

    private static Out run(BackupFixture b, Map<String, String> env, String... args) throws IOException {
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
            int code = BackupMain.run(all.toArray(String[]::new), env, new Properties());
            return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void configPrintsEveryKeyItsValueAndWhereItCameFrom() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Out r = run(b, Map.of("RCLONE_TRANSFERS", "12"), "config", "-Dbackup.parallelism=2");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.matches("backup\\.parallelism\\s+= 2\\s+\\(-Dbackup\\.parallelism\\)")),
                out);
        assertTrue(out.contains("(environment RCLONE_TRANSFERS)"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("backup.sources") && l.endsWith("(" + b.configFile + ")")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("backup.retention-days") && l.contains(
                "config/application.properties)")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("camel.main.name")), "Camel's keys too");
        assertEquals(org.idream.backup.config.Keys.SHIPPED.size() + 1, out.lines().count(), "a line a key, after the file read");
        assertFalse(Files.exists(b.logDir), "no log written");

        Out schema = run(b, Map.of(), "config", "--schema");
        assertEquals(Files.readString(Path.of("config/application.properties")), schema.out());
    }

    @Test
    void aTypoInDashDOrTheEnvironmentIsRefusedLikeOneInAFile() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Out d = run(b, Map.of(), "--once", "-Dbackup.retention-day=10");
        assertEquals(2, d.code());
        assertTrue(d.err().contains("-Dbackup.retention-day is not a known key (did you mean backup.retention-days?)"),
                d.err());
        Out env = run(b, Map.of("BACKUP_PARALELISM", "2"), "--once");
        assertEquals(2, env.code());
        assertTrue(env.err().contains("environment BACKUP_PARALELISM is not a known key's variable (did you mean "
                + "BACKUP_PARALLELISM"), env.err());
        Out rclone = run(b, Map.of("RCLONE_CONFIG_PASS", "x", "RCLONE_TRANFERS", "2"), "--once");
        assertEquals(2, rclone.code(), "a near miss of a key's variable is refused; rclone's own variables pass");
        assertTrue(rclone.err().contains("RCLONE_TRANFERS"), rclone.err());
        assertFalse(Files.exists(b.logDir), "nothing written");
    }

    @Test
    void checkRunsWhatARunChecksBeforeItsSyncsAndExitsAsTheRunWould() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        try (LogCapture log = new LogCapture()) {
            assertEquals(0, run(b, Map.of(), "check").code(), log.text());
            assertTrue(log.text().contains("check: passed: a run would start its syncs (exit 0)"), log.text());
            assertTrue(log.text().contains("check: no run holds the lock"), log.text());
        }
        assertFalse(Files.exists(b.mainRoot), "nothing synced");
        assertFalse(Files.exists(b.logDir), "no run log");
        assertFalse(Files.exists(b.root.resolve("backup.lock")), "the lock released");

        BackupFixture.deleteTree(b.source(1));
        try (LogCapture log = new LogCapture()) {
            assertEquals(1, run(b, Map.of(), "check").code());
            assertTrue(log.text().contains("MISSING: the source does not exist"), log.text());
        }
        Files.createDirectories(b.source(1));

        try (RunLock held = RunLock.acquire(b.root.resolve("backup.lock"))) {
            assertEquals(3, run(b, Map.of(), "check").code(), "a run holds the lock");
        }

        b.config.put("ceph.mount-point", tmp.toString());
        b.config.put("ceph.fstab", tmp.resolve("no-fstab").toString());
        try (LogCapture log = new LogCapture()) {
            assertEquals(4, run(b, Map.of(), "check").code());
            assertTrue(log.text().contains("precondition fstab-entry: no entry for " + tmp), log.text());
        }

        b.config.put("backup.parallelism", "lots");
        assertEquals(2, run(b, Map.of(), "check").code());
        assertFalse(Files.exists(b.mainRoot), "nothing synced");
    }
}
