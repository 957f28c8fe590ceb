package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/backup as the README tells an operator to use it, against the packaged jar. */
class LauncherIT {
    @TempDir
    Path tmp;

    @Test
    void theDemoBacksUpASampleTreeOnAFreshFolder() throws Exception {
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "demo"), 300);
        assertEquals(0, done.code(), done.output());
        assertFalse(done.output().contains("\u001b"), "no terminal codes (Maven's) in the demo's output:\n"
                + done.output());
        assertFalse(done.output().matches("(?s).*[^:]//[a-z].*"), "paths printed once-slashed:\n" + done.output());
        Path demo = tmp.resolve("demo");
        Path mirrorA = demo.resolve("backup/main").resolve(demo.getRoot().relativize(demo)).resolve("source/experiment-a");
        assertEquals("run 1, event data, reprocessed\n", Files.readString(mirrorA.resolve("run-0001/events.dat")));
        assertTrue(Files.isSymbolicLink(mirrorA.resolve("latest")));
        Trees.assertSameTree(demo.resolve("source/experiment-a"), mirrorA);
        Path mirrorB = mirrorA.resolveSibling("experiment-b");
        assertFalse(Files.exists(mirrorB.resolve("calibration/scratch.tmp")), "excluded by the demo's exclude file");
        assertFalse(Files.exists(mirrorB.resolve("calibration/gains.txt")), "deleted in the source");

        List<Path> displaced;
        try (var s = Files.walk(demo.resolve("backup/deleted"))) {
            displaced = s.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".manifest/")).toList();
        }
        assertEquals(2, displaced.size(), displaced.toString());
        assertTrue(displaced.stream().anyMatch(p -> p.endsWith("experiment-a/run-0001/events.dat")));
        assertTrue(displaced.stream().anyMatch(p -> p.endsWith("experiment-b/calibration/gains.txt")));
        for (Path p : displaced) {
            String content = Files.readString(p);
            assertTrue(content.equals("run 1, event data\n") || content.equals("gain = 1.00\n"), content);
        }
        try (var s = Files.list(demo.resolve("logs"))) {
            assertEquals(4, s.count(), "two logs, two reports");
        }
        assertTrue(done.output().contains("Where to look"), done.output());
    }

    @Test
    void withoutRcloneTheDemoAndTheTestsGiveTheCommandThatInstallsIt() throws Exception {
        // a PATH with the shell's tools but no rclone, as a user that cannot install it
        Path bin = Files.createDirectories(tmp.resolve("bin-without-rclone"));
        for (String tool : List.of("bash", "env", "id", "dirname", "cat")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        Path script = tmp.resolve("ensure-rclone");
        Files.copy(Path.of("bin/ensure-rclone"), script, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Processes.Done done = Processes.run(tmp, List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", "/usr/bin/env", "PATH=" + bin, script.toString()), 30);
        assertEquals(2, done.code(), done.output());
        assertEquals("rclone is missing: install it first with: sudo apt-get install rclone", done.output().strip());
        assertTrue(Files.readString(Path.of("bin/test")).contains("bin/ensure-rclone"));
        assertTrue(Files.readString(Processes.LAUNCHER).contains("bin/ensure-rclone\" || exit 2"));
    }

    @Test
    void theDemoNeverDeletesAFolderItDidNotMake() throws Exception {
        write(tmp.resolve("demo/precious.txt"), "mine");
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "demo"), 60);
        assertEquals(2, done.code(), done.output());
        assertEquals("mine", Files.readString(tmp.resolve("demo/precious.txt")));
    }

    @Test
    void fromCronWithoutALocaleNonAsciiPathsStillWork() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "données été");
        write(b.source(0).resolve("ünïcödé/файл.txt"), "x");
        b.writeConfig();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120, env -> env.keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_")));
        assertEquals(0, done.code(), done.output());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));
    }

    @Test
    void theClassDataArchiveIsMadeWholeByABackupRunOnly() throws Exception {
        Path target = Processes.LAUNCHER.getParent().getParent().resolve("target");
        Path jsa = target.resolve("ceph-backup.jsa");
        Files.deleteIfExists(jsa);
        Processes.Done version = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--version"), 120);
        assertEquals(0, version.code(), version.output());
        assertFalse(Files.exists(jsa), "--version makes no archive (it would hold a third of a run's classes)");
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.writeConfig();
        Processes.Done once = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120);
        assertEquals(0, once.code(), once.output());
        assertTrue(Files.size(jsa) > 0, "the backup run made the archive");
        try (var names = Files.list(target)) {
            assertEquals(List.of(), names.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ceph-backup.jsa.")).toList(), "nothing half-written left beside it");
        }
        Processes.Done mapped = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--version"), 120,
                env -> env.put("JAVA_OPTS", "-Xshare:on"));
        assertEquals(0, mapped.code(), "the archive maps whole (-Xshare:on refuses one it cannot): " + mapped.output());
    }

    @Test
    void anExistingRcloneConfigIsPassedWithDashDashConfig() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path rcloneConf = tmp.resolve("rclone.conf");
        Files.writeString(rcloneConf, "[unused]\ntype = local\n");
        b.writeConfig();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120, env -> env.put("RCLONE_CONFIG", rcloneConf.toString()));
        String out = done.output();
        assertEquals(0, done.code(), out);
        assertTrue(out.contains("rclone config: " + rcloneConf + " (passed with --config)"), out);
        assertTrue(out.contains("--config " + rcloneConf), "every rclone sync gets --config: " + out);
    }

    @Test
    void atATerminalEachDirectoryHasOneLiveLine() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        Files.write(b.source(0).resolve("big.bin"), Trees.bytes(4 << 20, 9));
        write(b.source(1).resolve("small.txt"), "small");
        b.faultyRclone("EXTRA='--bwlimit 2M'\n");
        b.writeConfig();
        Path typescript = tmp.resolve("tty.out");
        // script(1) runs the launcher on a pseudo-terminal
        Processes.Done done = Processes.run(tmp, List.of("script", "-qfec", Processes.LAUNCHER + " --once --config "
                + b.configFile + " -Dbackup.progress-interval=1s", typescript.toString()), 120,
                env -> env.put("TERM", "xterm"));
        assertEquals(0, done.code(), done.output());
        String screen = Files.readString(typescript);
        assertTrue(screen.matches("(?s).*" + java.util.regex.Pattern.quote(b.source(0).toString())
                + "\\s+\\d+%\\s+[0-9.]+ MiB/4\\.0 MiB.*"), "a live line with the directory's progress:\n" + screen);
        assertTrue(screen.contains("\033[2K" + b.source(1) + "  success"), "each directory's last state stays");
        assertFalse(screen.contains("] progress: "), "the log's progress lines are not repeated on the terminal");
        assertTrue(Files.readString(b.logs().stream().filter(p -> p.toString().endsWith(".log")).findFirst()
                .orElseThrow()).contains("] progress: "), "they are in the run's log");
    }

    @Test
    void exitCodesThroughTheLauncher() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        b.writeConfig();
        String launcher = Processes.LAUNCHER.toString();
        String config = b.configFile.toString();

        Processes.Done ok = Processes.run(tmp, List.of(launcher, "--once", "--config", config,
                "-Dbackup.parallelism=1"), 120);
        assertEquals(0, ok.code(), ok.output());
        Trees.assertSameTree(b.source(0), b.mirror(b.source(0)));

        Processes.Done bad = Processes.run(tmp, List.of(launcher, "--once", "--config", config,
                "-Dbackup.parallelism=zero"), 120);
        assertEquals(2, bad.code(), bad.output());
        assertTrue(bad.output().contains("backup.parallelism = 'zero' (from -Dbackup.parallelism): not a whole number"),
                bad.output());

        b.faultyRclone("MATCH=data3\nFAILURES=-1\nEXIT=7\n");
        b.writeConfig();
        Processes.Done failed = Processes.run(tmp, List.of(launcher, "--once", "--config", config), 120);
        assertEquals(1, failed.code(), failed.output());

        Processes.Done usage = Processes.run(tmp, List.of(launcher, "--twice"), 60);
        assertEquals(2, usage.code());
        assertTrue(usage.output().contains("usage: " + Processes.LAUNCHER + " "), "named as invoked: " + usage.output());
    }
}
