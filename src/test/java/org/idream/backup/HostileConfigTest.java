package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.idream.backup.config.Key;
import org.idream.backup.config.Keys;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated matrix of broken configurations: every key missing, empty, of the wrong type, out of
 * range, relative, overlapping, pointing into /proc. Each must exit 2 with one line naming the key,
 * and write nothing.
 */
class HostileConfigTest {
    @TempDir
    Path tmp;

    /** What a key holds, for the bad values to try on it. */
    enum Kind { ROOT_PATH, PATH, OPTIONAL_PATH, PATHS, INT, COUNT, OPTIONAL_INT, BOOL, DURATION, CRON, TEXT, COMMAND, URL,
        LEVEL, CHOICE, CLUSTER, OPTIONAL_TEXT, PREFER, OPTIONAL_DURATION, HOOK }

    static final Map<String, Kind> KINDS = new LinkedHashMap<>();
    static {
        KINDS.put("backup.sources", Kind.PATHS);
        for (String k : List.of("backup.main-root", "backup.deleted-root", "backup.log-dir", "backup.lock-file")) {
            KINDS.put(k, Kind.ROOT_PATH);
        }
        KINDS.put("backup.require-mounted-destination", Kind.BOOL);
        KINDS.put("backup.exclude-file", Kind.OPTIONAL_PATH);
        KINDS.put("backup.user", Kind.TEXT);
        for (String k : List.of("backup.retention-days", "backup.max-log-files", "backup.parallelism",
                "backup.sync-attempts", "rclone.transfers", "rclone.checkers", "rclone.retries", "ceph.mount-attempts")) {
            KINDS.put(k, Kind.INT);
        }
        KINDS.put("backup.verify-subset", Kind.COUNT);
        for (String k : List.of("backup.keep-daily", "backup.keep-weekly", "backup.keep-monthly", "backup.keep-yearly")) {
            KINDS.put(k, Kind.OPTIONAL_INT);
        }
        KINDS.put("backup.schedule", Kind.CRON);
        for (String k : List.of("backup.sync-retry-delay", "backup.progress-interval", "backup.health.max-age",
                "rclone.retries-sleep", "ceph.mount-retry-delay", "backup.rctime-margin", "backup.full-sync-every")) {
            KINDS.put(k, Kind.DURATION);
        }
        KINDS.put("backup.snapshots", Kind.CHOICE);
        KINDS.put("backup.change-detection", Kind.CHOICE);
        KINDS.put("backup.log-level", Kind.LEVEL);
        KINDS.put("backup.metrics-textfile", Kind.OPTIONAL_PATH);
        KINDS.put("backup.routes-reload", Kind.BOOL);
        for (String k : List.of("backup.notify.url-start", "backup.notify.url-success", "backup.notify.url-failure")) {
            KINDS.put(k, Kind.URL);
        }
        KINDS.put("backup.jmx.remote-port", Kind.OPTIONAL_INT);
        KINDS.put("backup.jmx.remote-address", Kind.TEXT);
        KINDS.put("rclone.binary", Kind.TEXT);
        KINDS.put("rclone.max-delete", Kind.OPTIONAL_INT);
        KINDS.put("rclone.update", Kind.BOOL);
        KINDS.put("rclone.checksum", Kind.BOOL);
        KINDS.put("ceph.mount-point", Kind.OPTIONAL_PATH);
        KINDS.put("ceph.fstab", Kind.PATH);
        KINDS.put("ceph.status-command", Kind.COMMAND);
        for (String k : List.of("backup.hook.before", "backup.hook.after", "backup.hook.on-failure")) {
            KINDS.put(k, Kind.HOOK);
        }
        KINDS.put("backup.hook.timeout", Kind.DURATION);
        KINDS.put("ceph.admin-socket-dir", Kind.OPTIONAL_PATH);
        KINDS.put("backup.cluster", Kind.CLUSTER);
        KINDS.put("backup.cluster.node-id", Kind.OPTIONAL_TEXT);
        KINDS.put("backup.cluster.prefer", Kind.PREFER);
        KINDS.put("backup.cluster.failover-after", Kind.OPTIONAL_DURATION);
    }

    @Test
    void everyKeyHasAKindHere() {
        Set<String> keys = Keys.ALL.stream().map(Key::name).collect(Collectors.toSet());
        assertEquals(keys, KINDS.keySet(), "a new key needs its bad values in this matrix");
    }

    private static List<String> badValues(String key, Kind kind) {
        List<String> v = new ArrayList<>();
        switch (kind) {
            case ROOT_PATH -> v.addAll(List.of("", "relative/dir", "./here", "/proc/self/backup", "/sys/x"));
            case PATH -> v.addAll(List.of("", "relative/file"));
            case OPTIONAL_PATH -> v.addAll(List.of("relative/file", "a/../b"));
            case PATHS -> v.addAll(List.of("", ",", "relative", "{S}/a,relative", "/proc/1", "{S},{S}", "{S},{S}/inner"));
            case INT -> v.addAll(List.of("", "ten", "1.5", "0x10", "-1", "99999999999", "1e3", "0"));
            case COUNT -> v.addAll(List.of("", "ten", "1.5", "-1", "99999999999", "1/30"));   // 0 is off
            case OPTIONAL_INT -> v.addAll(List.of("many", "-1", "1.5"));
            case BOOL -> v.addAll(List.of("", "yes", "1", "TRUE!"));
            case DURATION -> v.addAll(List.of("", "10", "ten seconds", "-5s", "1w", "5 s", "1s2d"));
            case CRON -> v.addAll(List.of("", "* * *", "61 * * * * ?", "every night", "0 0 25 * * ?"));
            case TEXT -> v.add("");
            case COMMAND -> { }
            case HOOK -> v.addAll(List.of("stop 'the writer", "say \"hi", "ends\\", "X=1 stop"));
            case URL -> v.addAll(List.of("ftp://example.org/x", "not a url", "http://"));
            case LEVEL -> v.addAll(List.of("", "LOUD", "TRACE"));
            case CHOICE -> v.addAll(List.of("", "sometimes", "on", "rctime full"));
            case CLUSTER -> v.addAll(List.of("", "zookeeper", "zookeeper:", "zookeeper:zk1", "zookeeper:zk1:0",
                    "zookeeper:zk1:99999", "zookeeper:zk1:2181,zk2", "file:", "file:relative/dir", "consul:x:8500",
                    "file:{S}/locks"));
            case OPTIONAL_TEXT -> { }
            case PREFER -> v.addAll(List.of("relative", "{S}/not-a-source", "{S}"));   // {S}: but backup.cluster = none
            case OPTIONAL_DURATION -> v.addAll(List.of("10", "ten", "5s", "-1m"));
        }
        if (key.equals("backup.retention-days") || key.equals("backup.parallelism")) {
            v.add("65");
        }
        return v;
    }

    @TestFactory
    Stream<DynamicTest> everyBadValueOfEveryKeyExitsTwoNamingTheKeyAndWritesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Kind> e : KINDS.entrySet()) {
            for (String value : badValues(e.getKey(), e.getValue())) {
                if (e.getKey().equals("backup.retention-days") && value.equals("65")) {
                    continue; // 65 days is a valid retention
                }
                tests.add(DynamicTest.dynamicTest(e.getKey() + " = '" + value + "'", () -> refused(e.getKey(), value)));
            }
        }
        return tests.stream();
    }

    private void refused(String key, String value) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "case");
        BackupFixture b = new BackupFixture(dir, "data");
        b.config.put(key, value.replace("{S}", b.source(0).toString()));
        b.writeConfig();
        ConfigurationTest.Result r = ConfigurationTest.capture(() -> BackupMain.run(new String[] {"--once", "--config",
            b.configFile.toString()}, Map.of(), new Properties()));
        assertEquals(2, r.code(), key + " = '" + value + "': " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.contains("WARNING: the JVM")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(key) || (key.equals("backup.sources") && lines.get(0).contains("source")),
                "names " + key + ": " + lines.get(0));
        assertNothingWritten(b);
    }

    @TestFactory
    Stream<DynamicTest> everyKeyMissingFromTheShippedFileExitsTwoNamingIt() throws IOException {
        List<String> shipped = Files.readAllLines(Path.of("config/application.properties"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String key : KINDS.keySet()) {
            tests.add(DynamicTest.dynamicTest(key + " missing", () -> {
                Path home = Files.createTempDirectory(tmp, "home");
                Files.createDirectories(home.resolve("config"));
                Files.write(home.resolve("config/application.properties"), shipped.stream()
                        .filter(l -> !l.startsWith(key + " ") && !l.startsWith(key + "=")).toList());
                Path dir = Files.createTempDirectory(tmp, "case");
                BackupFixture b = new BackupFixture(dir, "data");
                b.config.remove(key);
                b.writeConfig();
                Properties system = new Properties();
                system.setProperty("backup.home", home.toString());
                ConfigurationTest.Result r = ConfigurationTest.capture(() -> BackupMain.run(new String[] {"--once",
                    "--config", b.configFile.toString()}, Map.of(), system));
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains(key + " is missing"), r.err());
                assertNothingWritten(b);
            }));
        }
        return tests.stream();
    }

    private static void assertNothingWritten(BackupFixture b) throws IOException {
        assertFalse(Files.exists(b.logDir), "no log folder");
        assertFalse(Files.exists(b.root.resolve("backup")), "no backup folder");
        try (Stream<Path> s = Files.walk(b.root)) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).filter(p -> !p.equals(b.configFile)).toList());
        }
    }
}
