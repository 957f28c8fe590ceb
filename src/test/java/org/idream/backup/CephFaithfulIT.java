package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.idream.backup.model.SyncKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FaithfulRestoreTest}'s round trip on a real CephFS (ceph-fuse with POSIX ACLs), from snapshots, the
 * second run guided by CephFS's change times: names of every kind, owners, set-id and sticky folders, ACLs,
 * default ACLs, user.* attributes, hard links, links, empty folders and times come back exactly.
 */
@ExtendWith(CephLab.class)
class CephFaithfulIT {
    @TempDir
    Path tmp;

    @Test
    void everythingComesBackFromAGuidedRunOnCephFs() throws Exception {
        CephLab.Lab lab = CephLab.lab();
        lab.ensureMounted();
        Path parent = Files.createTempDirectory(lab.mount(), "faithful-");
        BackupFixture b = CephIT.onCeph(new BackupFixture(tmp, parent, "data"), lab);
        b.config.put("ceph.status-command", "");
        b.config.put("backup.rctime-margin", "2s");
        FaithfulRestoreTest test = new FaithfulRestoreTest();
        test.tmp = tmp;
        test.roundTrip(b, SyncKind.RCTIME, 10);
    }

    /** A folder's quotas and layout: recorded, shown by versions, set back onto CephFS with --ceph-attributes. */
    @Test
    void quotasAndLayoutsComeBackWhenAskedFor() throws Exception {
        CephLab.Lab lab = CephLab.lab();
        lab.ensureMounted();
        Path parent = Files.createTempDirectory(lab.mount(), "quota-");
        BackupFixture b = CephIT.onCeph(new BackupFixture(tmp, parent, "data"), lab);
        b.config.put("ceph.status-command", "");
        Path run = b.source(0).resolve("run-0042");
        BackupFixture.write(run.resolve("events.dat"), "events");
        sh(tmp, "setfattr -n ceph.quota.max_bytes -v 123456789 '" + run + "' && setfattr -n ceph.quota.max_files -v 5000 '"
                + run + "' && setfattr -n ceph.dir.layout.stripe_count -v 2 '" + run + "'");
        String layout = sh(tmp, "getfattr --absolute-names --only-values -n ceph.dir.layout '" + run + "'").output().strip();
        b.run().expect(0);

        String versions = stdout(() -> b.command("versions", run.toString()));
        assertTrue(versions.contains("CephFS: dir.layout=" + layout + " quota.max_bytes=123456789 quota.max_files=5000"),
                versions);
        Path plain = Files.createTempDirectory(lab.mount(), "restored-");
        Files.delete(plain);
        assertEquals(0, b.command("restore", run.toString(), "--to", plain.toString()));
        assertEquals("", sh(tmp, "getfattr --absolute-names -d -m '^ceph.quota' '" + plain + "' || true").output().strip(),
                "without --ceph-attributes: none set");
        Path withThem = Files.createTempDirectory(lab.mount(), "restored-");
        Files.delete(withThem);
        assertEquals(0, b.command("restore", b.source(0).toString(), "--to", withThem.toString(), "--ceph-attributes"));
        Path back = withThem.resolve("run-0042");
        assertEquals("123456789", sh(tmp, "getfattr --absolute-names --only-values -n ceph.quota.max_bytes '" + back + "'").output().strip());
        assertEquals("5000", sh(tmp, "getfattr --absolute-names --only-values -n ceph.quota.max_files '" + back + "'").output().strip());
        assertEquals(layout, sh(tmp, "getfattr --absolute-names --only-values -n ceph.dir.layout '" + back + "'").output().strip());
    }

    private static Processes.Done sh(Path cwd, String script) throws Exception {
        Processes.Done d = Processes.run(cwd, List.of("bash", "-c", script), 60);
        assertEquals(0, d.code(), script + ":\n" + d.output());
        return d;
    }

    private interface Body {
        int run() throws Exception;
    }

    private static String stdout(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
