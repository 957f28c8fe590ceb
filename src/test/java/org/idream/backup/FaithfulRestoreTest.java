package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What comes back is exactly what was there, for a tree a real site has (faithful-tree.sh: names of every
 * kind, owners, set-id and sticky folders, POSIX ACLs with default ACLs, user.* extended attributes, hard
 * links, links, empty folders, old times), through two runs with changes among them, restored as the last
 * run left it, as of each run (its name and its report's end) and a subfolder. Compared by an independent
 * reader (tree-state.py: Python's os.lstat on the names' bytes, getfacl, os.getxattr) with copies of the
 * source the test took after each run (cp -a).
 */
class FaithfulRestoreTest {
    private static final Path TREE = Path.of("src/test/resources/bin/faithful-tree.sh").toAbsolutePath();
    private static final Path STATE = Path.of("src/test/resources/bin/tree-state.py").toAbsolutePath();

    @TempDir
    Path tmp;

    private Processes.Done sh(String script) throws Exception {
        Processes.Done d = Processes.run(tmp, List.of("bash", "-c", script), 120);
        assertEquals(0, d.code(), script + ":\n" + d.output());
        return d;
    }

    private String state(Path root) throws Exception {
        return sh("python3 '" + STATE + "' '" + root + "'").output();
    }

    private static void nextSecond() throws InterruptedException {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plusMillis(100);
        while (Instant.now().isBefore(next)) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyNameOwnerModeAclAttributeAndHardLinkComesBack() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        b.config.put("backup.change-detection", "auto");          // off CephFS: guided by the last manifest
        roundTrip(b, SyncKind.MANIFEST, 0);
    }

    /**
     * The round trip for a fixture's first source: its second run synced the way {@code second} says (a full
     * sync on local disk; guided by CephFS's change times on CephFS, {@code settle} seconds after the changes:
     * CephFS propagates them up the tree lazily).
     */
    void roundTrip(BackupFixture b, SyncKind second, int settle) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown to other users takes root");
        assumeTrue(Processes.run(tmp, List.of("sh", "-c", "command -v setfacl && command -v setfattr"), 10).code() == 0,
                "setfacl and setfattr (Debian's acl and attr packages)");
        Path s = b.source(0);
        sh("'" + TREE + "' '" + s + "'");
        BackupFixture.Run first = b.run().expect(0);
        sh("cp -a '" + s + "' '" + tmp.resolve("snap1") + "'");
        nextSecond();

        // changes among the odd names, the ACLs, the attributes and the hard links
        sh("cd '" + s + "' && printf 'changed\\n' > \"odd/$(printf 'new\\nline.txt')\" && rm \"odd/$(printf 'caf\\xe9.txt')\""
                + " && printf 'new\\n' > \"odd/$(printf 'nouveau-\\xe9\\x01')\" && mv \"odd/$(printf 'tab\\tname.txt')\" odd/renamed"
                + " && setfacl -m u:65534:r-- shared/data.txt && setfattr -n user.comment -v 'checked again' shared/noted.txt"
                + " && ln shared/sub/linked.dat links/fourth-name.dat && chmod 0640 odd/private.key"
                + " && printf 'lookalike 2\\n' > odd/plain.rclonelink && setfacl -x g:1234 shared");
        Thread.sleep(settle * 1000L);
        BackupFixture.Run secondRun = b.run().expect(0);
        assertEquals(second.id(), secondRun.directory(s).get("sync").asText(), secondRun.directory(s).toString());
        sh("cp -a '" + s + "' '" + tmp.resolve("snap2") + "'");

        String state1 = state(tmp.resolve("snap1"));
        String state2 = state(tmp.resolve("snap2"));
        String name1 = Layout.runName(Path.of(first.report().get("deletedFolder").asText()));
        String name2 = Layout.runName(Path.of(secondRun.report().get("deletedFolder").asText()));
        Map<String, String[]> restores = new LinkedHashMap<>();
        restores.put("latest", new String[] {state2});
        restores.put(name1, new String[] {state1, "--as-of", name1});
        restores.put("the first report's end", new String[] {state1, "--as-of", first.report().get("end").asText()});
        restores.put(name2, new String[] {state2, "--as-of", name2});
        int i = 0;
        for (Map.Entry<String, String[]> r : restores.entrySet()) {
            Path target = tmp.resolve("restored-" + i++);
            List<String> args = new ArrayList<>(List.of("restore", s.toString(), "--to", target.toString()));
            args.addAll(List.of(r.getValue()).subList(1, r.getValue().length));
            assertEquals(0, b.command(args.toArray(String[]::new)), r.getKey());
            assertEquals(r.getValue()[0], state(target), "restored " + r.getKey());
        }
        Path sub = tmp.resolve("restored-shared");
        assertEquals(0, b.command("restore", s.resolve("shared").toString(), "--to", sub.toString(), "--as-of", name1));
        assertEquals(state(tmp.resolve("snap1/shared")), state(sub), "a subfolder as of the first run");
    }
}
