package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monthly restore points beyond the window (backup.keep-monthly), with the run clock moved across six months by
 * the real launcher: each kept point restores exactly what the source held at that run; every run inside the
 * window too; the others are gone, and what stays of the expired folders is only what a kept point needs.
 */
class KeptRestorePointsIT {
    @TempDir
    Path tmp;

    private JsonNode run(BackupFixture b, int day) throws Exception {
        b.writeConfig();
        List<Path> before = b.logs();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString(), "-Dbackup.clock.offset=P" + day + "D"), 300);
        assertEquals(0, done.code(), done.output());
        List<Path> after = b.logs();
        after.removeAll(before);
        return BackupFixture.JSON.readTree(after.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                .orElseThrow().toFile());
    }

    private static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                all.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return all;
    }

    @Test
    void monthlyPointsBeyondTheWindowRestoreExactlyAndNothingElseIsKept() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        b.config.put("backup.retention-days", "30");
        b.config.put("backup.keep-monthly", "4");
        Path prom = tmp.resolve("textfile/ceph_backup.prom");
        Files.createDirectories(prom.getParent());
        b.config.put("backup.metrics-textfile", prom.toString());
        Map<String, Map<String, String>> states = new LinkedHashMap<>();    // run -> what the source held
        Map<String, LocalDate> days = new LinkedHashMap<>();
        for (int i = 0; i <= 16; i++) {
            int day = i * 10;
            write(s.resolve("f.txt"), "version of run " + i);
            write(s.resolve("new-" + i + ".txt"), "new in run " + i);
            Files.deleteIfExists(s.resolve("new-" + (i - 2) + ".txt"));
            JsonNode report = run(b, day);
            Path folder = Path.of(report.get("deletedFolder").asText());
            String name = folder.getParent().getFileName() + "/" + folder.getFileName();
            states.put(name, contents(s));
            days.put(name, LocalDate.parse(folder.getParent().getFileName().toString()));
        }
        List<String> runs = new ArrayList<>(states.keySet());
        LocalDate today = days.get(runs.get(runs.size() - 1));
        LocalDate cutoff = today.minusDays(30);
        // the last run of each of the three latest months (an independent count of borg's rule)
        Map<YearMonth, String> lastOfMonth = new TreeMap<>();
        runs.forEach(r -> lastOfMonth.put(YearMonth.from(days.get(r)), r));
        List<String> months = new ArrayList<>(lastOfMonth.values());
        Set<String> monthly = new HashSet<>(months.subList(Math.max(0, months.size() - 4), months.size()));

        int checked = 0;
        for (String r : runs) {
            boolean inWindow = !days.get(r).isBefore(cutoff);
            Path manifests = b.deletedRoot.resolve(r + ".manifest");
            if (!inWindow && !monthly.contains(r)) {
                assertFalse(Files.exists(manifests), r + " is neither in the window nor a kept point");
                continue;
            }
            Path target = tmp.resolve("restored-" + r.replace('/', '_'));
            assertEquals(0, b.command("restore", s.toString(), "--to", target.toString(), "--as-of", r),
                    "restore --as-of " + r);
            assertEquals(states.get(r), contents(target), "the state of run " + r + (inWindow ? "" : " (kept)"));
            if (!inWindow) {
                checked++;
            }
        }
        assertTrue(checked >= 1, "a kept point beyond the window was restored: " + monthly + ", cutoff " + cutoff);
        Processes.Done versions = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "versions", s.toString(),
                "--config", b.configFile.toString(), "-Dbackup.clock.offset=P160D"), 120);
        for (String r : monthly) {
            if (days.get(r).isBefore(cutoff)) {
                assertTrue(versions.output().lines().anyMatch(l -> l.contains("restore --as-of " + r)
                        && l.endsWith("(kept: backup.keep-*)")), r + " marked kept by versions:\n" + versions.output());
            }
        }
        Processes.Done verify = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "verify", "--read-data",
                "--config", b.configFile.toString(), "-Dbackup.clock.offset=P160D"), 300);
        assertEquals(0, verify.code(), "what retention kept verifies, no false alarm:\n" + verify.output());
        String metrics = Files.readString(prom);
        for (String r : monthly) {
            if (days.get(r).isBefore(cutoff)) {
                assertTrue(metrics.lines().anyMatch(l -> l.matches("backup_kept_point_bytes\\{point=\"" + r
                        + "\",?\\} [1-9][0-9.E]*")), "the bytes " + r + " keeps, in the metrics:\n" + metrics);
            }
        }
        Processes.Done listed = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "runs", "--config",
                b.configFile.toString(), "-Dbackup.clock.offset=P160D"), 120);
        for (String r : monthly) {
            if (days.get(r).isBefore(cutoff)) {
                assertTrue(listed.output().lines().anyMatch(l -> l.startsWith(r + " ")
                        && l.endsWith("--as-of " + r + " (kept: backup.keep-*)")), r + " marked kept:\n"
                        + listed.output());
            }
        }

        // what stays of the expired dated folders is only what kept points need: versions they hold
        Set<String> keptVersions = new HashSet<>();
        monthly.forEach(r -> keptVersions.addAll(states.get(r).values()));
        try (Stream<Path> dayFolders = Files.list(b.deletedRoot)) {
            for (Path d : dayFolders.filter(d -> d.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}")).toList()) {
                if (!LocalDate.parse(d.getFileName().toString()).isBefore(cutoff)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(d)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        if (f.toString().contains(".manifest/")) {
                            continue;
                        }
                        assertTrue(keptVersions.contains(Files.readString(f)), f + " (" + Files.readString(f)
                                + ") is kept but no kept point holds that version");
                    }
                }
            }
        }
    }
}
