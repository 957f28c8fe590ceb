package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.idream.backup.config.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What deploy/ ships is consistent with the product: the units, the dashboard, the alert rules. */
class DeployTest {
    @TempDir
    Path tmp;

    @Test
    void theUnitsPassSystemdAnalyzeVerifyAndAgreeWithTheConfiguration() throws Exception {
        List<Path> units = new ArrayList<>();
        for (String name : List.of("ceph-backup.service", "ceph-backup-daemon.service", "ceph-backup.timer")) {
            String text = Files.readString(Path.of("deploy", name));
            // verify checks that the command exists: this checkout's launcher stands in for the package's
            Path copy = tmp.resolve(name);
            Files.writeString(copy, text.replace("/usr/bin/ceph-backup", Path.of("bin/backup").toAbsolutePath().toString()));
            units.add(copy);
            if (name.endsWith(".service")) {
                String user = value(text, "User");
                assertEquals("Environment=BACKUP_USER=" + user, line(text, "Environment=BACKUP_USER="),
                        name + ": backup.user says whom the unit runs as");
                // optional ('-'): not there yet on a fresh install, and the unit must still start (the run says what
                // is missing); the log folder made by systemd (LogsDirectory, under /var/log)
                assertTrue((" " + value(text, "ReadWritePaths") + " ").contains(" -/" + Path.of(Keys.MAIN_ROOT
                        .defaultValue()).getName(0) + " "), name + " may write " + Keys.MAIN_ROOT.name());
                Path logs = Path.of(Keys.LOG_DIR.defaultValue());
                assertEquals(Path.of("/var/log").resolve(value(text, "LogsDirectory")), logs, name + " makes "
                        + Keys.LOG_DIR.name());
                assertTrue(value(text, "ReadWritePaths").contains(Path.of(Keys.LOCK_FILE.defaultValue()).getParent()
                        .toString()), name + " may write the lock");
                // the launcher's class-data archive: in the folder systemd makes writable (CacheDirectory, /var/cache)
                Matcher cache = Pattern.compile("(?m)^CACHE=/var/cache/(\\S+)$")
                        .matcher(Files.readString(Path.of("deploy/debian/ceph-backup")));
                assertTrue(cache.find(), "the launcher names its cache");
                assertEquals(cache.group(1), value(text, "CacheDirectory"), name + " may write the launcher's cache");
                assertEquals("strict", value(text, "ProtectSystem"), name);
                assertEquals("yes", value(text, "NoNewPrivileges"), name);
            }
        }
        List<String> argv = new ArrayList<>(List.of("systemd-analyze", "verify"));
        units.forEach(u -> argv.add(u.toString()));
        Processes.Done done = Processes.run(tmp, argv, 120);
        assertEquals(0, done.code(), done.output());
        assertEquals("", done.output().strip(), "no warnings");
        assertTrue(Files.readString(Path.of("deploy/ceph-backup.timer")).contains("RandomizedDelaySec="));
        for (Path u : units.stream().filter(u -> u.toString().endsWith(".service")).toList()) {
            Processes.Done security = Processes.run(tmp, List.of("systemd-analyze", "security", "--offline=yes",
                    u.toString()), 120);
            Matcher exposure = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)").matcher(security.output());
            assertTrue(exposure.find(), security.output());
            assertTrue(Double.parseDouble(exposure.group(1)) <= 4.5, u.getFileName() + ": exposure "
                    + exposure.group(1) + " (5.9 before the hardening of issue 20)");
        }
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsOneTheProductExports() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path prom = tmp.resolve("textfile/ceph_backup.prom");
        Files.createDirectories(prom.getParent());
        b.config.put("backup.metrics-textfile", prom.toString());
        b.run().expect(0);
        write(b.source(0).resolve("a.txt"), "a, changed");
        b.run().expect(0);
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-z_]+)[{ ]").matcher(Files.readString(prom));
        while (m.find()) {
            exported.add(m.group(1));
        }
        Set<String> queried = new TreeSet<>();
        queried.addAll(metrics(Files.readString(Path.of("deploy/grafana-dashboard.json"))));
        queried.addAll(metrics(Files.readString(Path.of("deploy/prometheus-alerts.yml"))));
        assertTrue(queried.size() >= 15, queried.toString());
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "queried but not exported (exported: " + exported + ")");
    }

    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(backup_[a-z_]+)\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String line(String unit, String prefix) {
        return unit.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(none)");
    }

    private static String value(String unit, String key) throws IOException {
        String l = line(unit, key + "=");
        return l.substring(l.indexOf('=') + 1);
    }
}
