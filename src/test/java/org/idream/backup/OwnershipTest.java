package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore gives back what was there: content, owner, group, mode and modification time of every
 * file, folder and link, from the mirror and as of an earlier run; as a user that cannot give files
 * away, it says what it could not set. Run as root (as the backup runs).
 */
class OwnershipTest {
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final int NOBODY = 65534;
    private static final int NOGROUP = 65534;

    @TempDir
    Path tmp;
    private BackupFixture b;
    private Path s;

    private static void chown(Path p, int uid, int gid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void chmod(Path p, int mode) throws Exception {
        Files.setAttribute(p, "unix:mode", mode);
    }

    private static void touch(Path p, long seconds, int nanos) throws Exception {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(Instant.ofEpochSecond(seconds, nanos)), null, null);
    }

    @BeforeEach
    void aMultiUserTree() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the backup runs as root; so does this test");
        b = new BackupFixture(tmp, "experiment");
        s = b.source(0);
        write(s.resolve("script.sh"), "#!/bin/sh\necho analysis\n");
        chown(s.resolve("script.sh"), NOBODY, NOGROUP);
        chmod(s.resolve("script.sh"), 0755);
        write(s.resolve("data.txt"), "shared results\n");
        chown(s.resolve("data.txt"), NOBODY, NOGROUP);
        chmod(s.resolve("data.txt"), 0664);
        write(s.resolve("shared/run-0042.dat"), "event data");
        chown(s.resolve("shared/run-0042.dat"), 1234, 4321);    // ids without names on this host
        chmod(s.resolve("shared/run-0042.dat"), 0640);
        chown(s.resolve("shared"), NOBODY, NOGROUP);
        chmod(s.resolve("shared"), 02775);
        write(s.resolve("private/secret"), "only root");
        chmod(s.resolve("private/secret"), 0600);
        chmod(s.resolve("private"), 0700);
        Files.createDirectories(s.resolve("empty"));
        chown(s.resolve("empty"), NOBODY, NOGROUP);
        chmod(s.resolve("empty"), 0751);
        Files.createDirectories(s.resolve("scratch"));
        chmod(s.resolve("scratch"), 01777);
        Files.createSymbolicLink(s.resolve("run"), Path.of("script.sh"));
        chown(s.resolve("run"), NOBODY, NOGROUP);
        int n = 0;
        for (String p : List.of("script.sh", "data.txt", "shared/run-0042.dat", "private/secret", "run", "shared",
                "private", "empty", "scratch")) {
            touch(s.resolve(p), 1_700_000_000L + 86_400L * n++, 123_456_789);
        }
    }

    /** The source's entries as `ls -l --full-time` would show them, the top folder left out. */
    private TreeMap<String, String> source() throws Exception {
        return Trees.withAttributes(s);
    }

    private String runAndMoment() throws Exception {
        b.run().expect(0);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(moment.plusMillis(1100))) {
            Thread.sleep(50);
        }
        return MOMENT.format(moment);
    }

    @Test
    void ownersGroupsModesAndTimesComeBackFromTheMirrorAndAsOfAnEarlierRun() throws Exception {
        String first = runAndMoment();
        TreeMap<String, String> before = source();
        assertTrue(before.get("shared").contains(NOBODY + ":" + NOGROUP + " 2775 2023-11-19T22:13:20.123456Z"),
                before.toString());

        chown(s.resolve("data.txt"), 0, 0);
        chmod(s.resolve("data.txt"), 0600);
        chmod(s.resolve("shared"), 0755);
        chmod(s.resolve("script.sh"), 0644);
        runAndMoment();
        TreeMap<String, String> after = source();
        assertNotEquals(before, after);

        Path now = tmp.resolve("now");
        assertEquals(0, b.command("restore", s.toString(), "--to", now.toString()));
        assertEquals(after, Trees.withAttributes(now), "the mirror's files with the last run's attributes");

        Path asOf = tmp.resolve("as-of");
        try (LogCapture log = new LogCapture()) {
            assertEquals(0, b.command("restore", s.toString(), "--to", asOf.toString(), "--as-of", first));
            assertTrue(log.text().contains("owners, groups, modes, ACLs, attributes and times of 9 entries set"), log.text());
            assertFalse(log.text().contains("could not set"), log.text());
        }
        assertEquals(before, Trees.withAttributes(asOf), "the tree as it was after the first run, 2775 folder, "
                + "755 script and empty folder included");

        // a folder alone: the target takes the folder's own owner, group and mode
        Path shared = tmp.resolve("shared-alone");
        assertEquals(0, b.command("restore", s.resolve("shared").toString(), "--to", shared.toString(), "--as-of",
                first));
        assertEquals(Integer.valueOf(02775), (Integer) Files.getAttribute(shared, "unix:mode") & 07777);
        assertEquals(NOBODY, Files.getAttribute(shared, "unix:uid"));
        assertEquals(1234, Files.getAttribute(shared.resolve("run-0042.dat"), "unix:uid"));
    }

    @Test
    void withoutThePowerToGiveFilesAwayTheRestoreSaysWhatItCouldNotSet() throws Exception {
        runAndMoment();
        Path target = tmp.resolve("unprivileged");
        b.writeConfig();
        List<String> command = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-chown",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dbackup.home=" + Path.of("").toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                BackupMain.class.getName(), "restore", s.toString(), "--to", target.toString(), "--config",
                b.configFile.toString()));
        Processes.Done done = Processes.run(tmp, command, 120);
        assertEquals(0, done.code(), done.output());
        assertTrue(done.output().contains("could not set the owner of 6 entries, e.g. "), done.output());
        assertTrue(done.output().contains("the group of 6 entries"), done.output());
        assertTrue(done.output().contains("(owner 65534 (nobody), left 0)"), done.output());
        assertEquals(Trees.describe(s), Trees.describe(target), "the content is all there");
        assertEquals(0755, (Integer) Files.getAttribute(target.resolve("script.sh"), "unix:mode") & 07777,
                "what could be set was");
        assertEquals(0, Files.getAttribute(target.resolve("script.sh"), "unix:uid"));
    }

    @Test
    void theBackupRootsAreClosedToOtherUsers() throws Exception {
        Files.createDirectories(b.mainRoot);
        Files.setPosixFilePermissions(b.mainRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        BackupFixture.Run run = b.run();
        run.expect(0);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b.mainRoot)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b.deletedRoot)));
        assertTrue(run.log().contains(b.mainRoot + " (backup.main-root) was rwxr-xr-x: made it rwx------"), run.log());
    }
}
