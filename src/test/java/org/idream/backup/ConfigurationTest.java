package org.idream.backup;

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

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad configuration is refused at start, exit 2, one line naming the key, nothing written. */
class ConfigurationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "backup.sources        | relative/dir                         | backup.sources",
        "backup.sources        | ''                                   | backup.sources",
        "backup.sources        | {S0},{S0}/                           | listed twice",
        "backup.sources        | {S0},{S0}/sub                        | inside another source",
        "backup.sources        | /proc/self                           | points into /proc",
        "backup.main-root      | {S0}/backup                          | backup.main-root",
        "backup.main-root      | {ROOT}                               | contains the source",
        "backup.deleted-root   | {ROOT}/backup/main/deleted           | backup.deleted-root",
        "backup.deleted-root   | {ROOT}/backup/main                   | must not be inside one another",
        "backup.log-dir        | {ROOT}/backup/main/logs              | backup.log-dir",
        "backup.log-dir        | {S0}/logs                            | backup.log-dir",
        "backup.lock-file      | relative.lock                        | backup.lock-file",
        "backup.schedule       | every night                          | not a valid Quartz cron",
        "backup.schedule       | 0 30 1 * * * *                       | backup.schedule",
        "backup.parallelism    | four                                 | not a whole number",
        "backup.parallelism    | 0                                    | must be between 1 and 64",
        "backup.parallelism    | ''                                   | must not be empty",
        "backup.sync-attempts  | 2.5                                  | backup.sync-attempts",
        "backup.sync-retry-delay | soon                               | not a duration",
        "backup.retention-days | -1                                   | backup.retention-days",
        "backup.max-log-files  | 1e3                                  | backup.max-log-files",
        "rclone.transfers      | 30x                                  | rclone.transfers",
        "rclone.max-delete     | lots                                 | rclone.max-delete",
        "rclone.update         | yes                                  | must be true or false",
        "rclone.retries-sleep  | 10                                   | rclone.retries-sleep",
        "backup.log-level      | LOUD                                 | backup.log-level",
        "ceph.mount-point      | ceph                                 | ceph.mount-point",
        "ceph.mount-point      | /ceph                                | is not under ceph.mount-point",
        "backup.require-mounted-destination | maybe                   | backup.require-mounted-destination",
        "backup.source         | /x                                   | did you mean backup.sources",
        "rclone.checksums      | true                                 | did you mean rclone.checksum?",
    })
    void aBadValueExitsTwoNamingTheKeyBeforeAnythingIsWritten(String key, String value, String expected)
            throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        b.config.put(key, value.replace("{S0}", b.source(0).toString()).replace("{ROOT}", tmp.toString()));
        Result r = run(b);
        assertEquals(2, r.code, r.err);
        List<String> lines = r.err.lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err);
        assertTrue(lines.get(0).contains(key), "names the key " + key + ": " + r.err);
        assertTrue(lines.get(0).contains(expected), "says what is wrong (" + expected + "): " + r.err);
        assertNothingWritten(b);
    }

    @Test
    void aMissingConfigFileIsRefused() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        Result r = capture(() -> BackupMain.run(new String[] {"--once", "--config", tmp.resolve("nope.properties")
                .toString()}, Map.of(), new Properties()));
        assertEquals(2, r.code);
        assertTrue(r.err.contains("nope.properties") && r.err.contains("no such file"), r.err);
        assertNothingWritten(b);
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        Result r = capture(() -> BackupMain.run(new String[] {"--onse"}, Map.of(), new Properties()));
        assertEquals(2, r.code);
        assertTrue(r.err.contains("unknown argument '--onse'") && r.err.contains("usage:"), r.err);
    }

    @Test
    void aValueFromTheEnvironmentIsNamedWithItsOrigin() throws IOException {
        BackupFixture b = new BackupFixture(tmp, "data");
        b.writeConfig();
        Result r = capture(() -> BackupMain.run(new String[] {"--once", "--config", b.configFile.toString()},
                Map.of("BACKUP_PARALLELISM", "many"), new Properties()));
        assertEquals(2, r.code);
        assertTrue(r.err.contains("backup.parallelism = 'many' (from environment BACKUP_PARALLELISM)"), r.err);
        assertNothingWritten(b);
    }

    @Test
    void precedenceIsDashDThenEnvironmentThenOperatorFileThenShippedFile() throws IOException {
        Path shipped = Path.of("config/application.properties");
        Path operator = tmp.resolve("site.properties");
        Files.writeString(operator, "backup.parallelism = 3\nrclone.transfers = 11\nbackup.sources = /srv/a\n"
                + "ceph.mount-point =\n");
        Properties system = new Properties();
        system.setProperty("backup.parallelism", "1");
        Map<String, String> env = Map.of("BACKUP_PARALLELISM", "2", "RCLONE_TRANSFERS", "12", "RCLONE_CHECKERS", "5");

        Settings s = Settings.load(shipped, operator, env, system);
        assertEquals(1, s.get(Keys.PARALLELISM), "-D wins");
        assertEquals(12, s.get(Keys.RCLONE_TRANSFERS), "environment over the operator's file");
        assertEquals(5, s.get(Keys.RCLONE_CHECKERS), "environment over the shipped file");
        assertEquals(List.of(Path.of("/srv/a")), s.get(Keys.SOURCES), "operator's file over the shipped file");
        assertEquals(4, Settings.load(shipped, null, Map.of(), new Properties()).get(Keys.PARALLELISM),
                "the shipped default");
        assertEquals("-Dbackup.parallelism", s.origin(Keys.PARALLELISM));
    }

    @Test
    void theShippedFileHoldsEveryKeyWithTheSiteDefaults() {
        Settings s = Settings.load(Path.of("config/application.properties"), null, Map.of(), new Properties());
        assertEquals(List.of(Path.of("/ceph/data/exp/idream/data"), Path.of("/ceph/data/exp/idream/data3")),
                s.get(Keys.SOURCES));
        assertEquals(Path.of("/backup/main"), s.get(Keys.MAIN_ROOT));
        assertEquals(Path.of("/backup/deleted"), s.get(Keys.DELETED_ROOT));
        assertEquals(30, s.get(Keys.RCLONE_TRANSFERS));
        assertEquals(8, s.get(Keys.RCLONE_CHECKERS));
        assertEquals(3, s.get(Keys.SYNC_ATTEMPTS));
        assertEquals(java.time.Duration.ofSeconds(15), s.get(Keys.SYNC_RETRY_DELAY));
        assertFalse(s.get(Keys.RCLONE_UPDATE), "--update is off by default");
        assertEquals(List.of("ssh", "cephsvc05", "podman", "exec", "ceph-mon-cephsvc05", "ceph", "status"),
                s.get(Keys.CEPH_STATUS_COMMAND));
        assertEquals(Keys.ALL.size(), s.describe().size());
    }

    private void assertNothingWritten(BackupFixture b) throws IOException {
        assertFalse(Files.exists(b.logDir), "no log folder");
        assertFalse(Files.exists(b.root.resolve("backup")), "no backup folder");
        assertFalse(Files.exists(b.root.resolve("backup.lock")), "no lock file");
        List<Path> left = new ArrayList<>();
        try (var s = Files.walk(b.root)) {
            s.filter(Files::isRegularFile).filter(p -> !p.equals(b.configFile)).forEach(left::add);
        }
        assertEquals(List.of(), left, "no file written");
    }

    private Result run(BackupFixture b) throws IOException {
        b.writeConfig();
        return capture(() -> BackupMain.run(new String[] {"--once", "--config", b.configFile.toString()}, Map.of(),
                new Properties()));
    }

    record Result(int code, String err) {
    }

    static Result capture(java.util.function.IntSupplier body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = body.getAsInt();
            return new Result(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
