package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.idream.backup.config.Words;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands around a run (backup.hook.before, .after, .on-failure), real processes through the real routes: what
 * they are given, what their failure means for the run, their output in its log.
 */
class HooksTest {
    @TempDir
    Path tmp;

    /** A hook that records how it was called: its environment's CEPH_BACKUP_* and its arguments. */
    private String recorder(String name) {
        return "sh -c 'env | grep ^CEPH_BACKUP_ | sort > \"$0\"; printf \"%s|\" \"$@\" >> \"$0\"; echo said " + name
                + "' " + tmp.resolve(name + ".txt") + " 'a b' \"c\\\"d\" e\\ f";
    }

    @Test
    void beforeAndAfterRunWithTheRunInTheirEnvironmentAndTheirOutputInTheLog() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.hook.before", recorder("before"));
        b.config.put("backup.hook.after", recorder("after"));
        b.config.put("backup.hook.on-failure", recorder("on-failure"));
        BackupFixture.Run run = b.run().expect(0);
        String before = Files.readString(tmp.resolve("before.txt"));
        assertTrue(before.contains("CEPH_BACKUP_HOOK=before\n") && before.contains("CEPH_BACKUP_OUTCOME=running\n"),
                before);
        assertTrue(before.endsWith("a b|c\"d|e f|"), "words split as a shell would, no expansion: " + before);
        String after = Files.readString(tmp.resolve("after.txt"));
        assertTrue(after.contains("CEPH_BACKUP_OUTCOME=success\n") && after.contains("CEPH_BACKUP_EXIT_CODE=0\n")
                && after.contains("CEPH_BACKUP_REPORT=" + run.reportFile() + "\n")
                && after.contains("CEPH_BACKUP_LOG=" + run.logFile() + "\n"), after);
        assertTrue(Files.exists(run.reportFile()), "the report is written before the after hook runs");
        assertFalse(Files.exists(tmp.resolve("on-failure.txt")), "a success is not a failure");
        String log = run.log();
        assertTrue(log.contains("[INFO] hook before: said before") && log.contains("[INFO] hook after: said after")
                && log.contains("hook before: done (exit 0)"), log);
        assertEquals("a", Files.readString(b.mirror(b.source(0)).resolve("a.txt")));
    }

    @Test
    void aFailingBeforeHookStopsTheRunWithExitFourAndOnFailureRuns() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.hook.before", "sh -c 'echo the DAQ writer did not stop >&2; exit 3'");
        b.config.put("backup.hook.on-failure", recorder("on-failure"));
        BackupFixture.Run run = b.run().expect(4);
        assertTrue(run.log().contains("backup.hook.before failed: exit 3: the DAQ writer did not stop"), run.log());
        assertFalse(Files.exists(b.mirror(b.source(0)).resolve("a.txt")), "nothing synced");
        String failure = Files.readString(tmp.resolve("on-failure.txt"));
        assertTrue(failure.contains("CEPH_BACKUP_HOOK=on-failure\n") && failure.contains("CEPH_BACKUP_EXIT_CODE=4\n"),
                failure);

        b.config.put("backup.hook.before", "sleep 30");                   // past its timeout: failed too
        b.config.put("backup.hook.timeout", "1s");
        run = b.run().expect(4);
        assertTrue(run.log().contains("backup.hook.before failed: stopped after 1 s (backup.hook.timeout)"), run.log());

        b.config.put("backup.hook.before", "no-such-program-here --now");
        run = b.run().expect(4);
        assertTrue(run.log().contains("backup.hook.before failed: its command was not found: no-such-program-here"),
                run.log());
        assertEquals(4, b.command("check"), "check finds the missing program without running anything");
    }

    @Test
    void aFailingAfterHookIsAWarningAndTheExitCodeStays() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.hook.after", "false");
        BackupFixture.Run run = b.run().expect(0);
        assertTrue(run.log().contains("[WARNING] hook after: backup.hook.after failed: exit 1 (the run's outcome stays "
                + "success)"), run.log());
    }

    @Test
    void aHookIsSplitLikeAShellWouldAndABadOneIsRefusedBeforeAnythingRuns() throws Exception {
        assertEquals(List.of("sh", "-c", "echo \"$HOME\" > /x", "a b", "c\"d", "e f", "$g", "h\\i"),
                Words.split("sh -c 'echo \"$HOME\" > /x'  \"a b\" c\\\"d e\\ f \\$g 'h\\i'"));
        assertThrows(IllegalArgumentException.class, () -> Words.split("stop 'the writer"));
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        b.config.put("backup.hook.before", "stop 'the writer");
        assertEquals(2, b.command("--once"));
        b.config.put("backup.hook.before", "DAQ=1 stop");
        assertEquals(2, b.command("check"));
        assertFalse(Files.exists(b.mainRoot), "nothing written");
    }
}
