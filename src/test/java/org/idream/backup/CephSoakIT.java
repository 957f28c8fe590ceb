package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.idream.backup.cephfs.CephFs;
import org.idream.backup.names.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential soak on the real CephFS: a change-guided run must give exactly what a plain full
 * {@code rclone sync} of the same snapshot gives. Between runs, random operations on the sources: create,
 * append through a descriptor held open across a run, truncate, rewrite with the same size and mtime,
 * unlink, rename within, into and out of a source, rename a directory whose children are old, copy old
 * trees with their times ({@code cp -a}), touch to past and future times, chmod, chown and chgrp of
 * files, links and folders, ACLs set, changed and removed on files and folders (default ACLs too), symbolic
 * links, file↔link↔folder changes, hard links (written through the other name), names that are not UTF-8 or
 * hold newlines and glob characters, and writes through a second ceph-fuse client whose clock runs 30 minutes
 * behind (Debian's faketime).
 *
 * <p>After every run, the oracle: {@code rclone sync --backup-dir --delete-before} of a snapshot the test
 * took just before the run (nothing writes between the two) into the oracle's own mirror and deleted
 * area, the way the plain script would have. The product's mirror must equal the oracle's, entry for
 * entry (kind, content, link target, folders), and the versions this run displaced must equal the
 * oracle's; a restore {@code --as-of} of earlier runs must equal what those snapshots held, with their
 * owners, groups, modes and modification times, and the ACLs and user attributes an independent reader (Python
 * on the names' bytes) finds there; and {@code verify --read-data} re-reads everything stored and finds it whole.
 *
 * <p>With {@code backup.rctime-margin = 0s}, the skewed client's writes are stamped before the last run's
 * start and the guided walk misses them: the same comparison must then fail (the oracle can fail).
 *
 * <p>{@code -Dcephsoak.runs=8 -Dcephsoak.files=300 -Dcephsoak.seed=N}; {@code bin/soak --ceph} runs a long one.
 */
@Tag("soak")
@ExtendWith(CephLab.class)
class CephSoakIT {
    private static final Duration SKEW = Duration.ofMinutes(30);
    private static final int[] OWNERS = {0, 65534, 1234};
    private static final int[] DIR_MODES = {0755, 02775, 0750, 01777};

    @TempDir
    Path tmp;
    private CephLab.Lab lab;
    private Path area;
    private Path scratch;
    private Path skewedMount;
    private BackupFixture b;
    private Random random;
    private long seed;
    private int step;
    private final List<FileChannel> open = new ArrayList<>();
    private final List<String[]> moments = new ArrayList<>();
    private final Map<String, TreeMap<String, String>> states = new TreeMap<>();
    private int guidedRuns;
    private int fullRuns;
    private int displacedChecked;
    private int restores;
    private int acls;
    private long aclsCompared;
    private int verified;
    private final Map<String, String> aclStates = new TreeMap<>();

    @BeforeEach
    void lab() throws Exception {
        lab = CephLab.lab();
        lab.ensureMounted();
        area = Files.createTempDirectory(lab.mount(), "soak-");
        scratch = Files.createDirectories(area.resolve("scratch"));
        skewedMount = lab.mountSkewed(SKEW);
    }

    @AfterEach
    void closeAndUnmount() throws Exception {
        for (FileChannel c : open) {
            c.close();
        }
        lab.unmountSkewed();
    }

    @Test
    void aChangeGuidedRunGivesWhatAFullSyncOfTheSameSnapshotGives() throws Exception {
        int runs = Integer.getInteger("cephsoak.runs", 8);
        int files = Integer.getInteger("cephsoak.files", 300);
        seed = Long.getLong("cephsoak.seed", System.nanoTime());
        System.out.println("cephsoak: seed " + seed + ", " + runs + " runs, " + files + " files");
        try {
            soak(runs, files, "1h");
        } catch (Throwable t) {
            throw new AssertionError("ceph soak failed at run " + step + " (seed " + seed + ", rerun with "
                    + "-Dcephsoak.seed=" + seed + "): " + t.getMessage(), t);
        }
        System.out.printf("cephsoak: seed %d: %d runs (%d change-guided, %d full), %d ACL and attribute changes, %d displaced "
                + "versions compared, %d restores compared (%d entries with ACLs among them), %d verify --read-data passed, differences "
                + "from the oracle: 0%n", seed, runs, guidedRuns, fullRuns, acls, displacedChecked, restores, aclsCompared,
                verified);
        assertTrue(guidedRuns >= runs / 2, "most runs were change-guided: " + guidedRuns + " of " + runs);
    }

    @Test
    void withoutTheMarginTheSkewedClientsChangesAreMissedAndTheOracleSaysSo() throws Exception {
        seed = Long.getLong("cephsoak.seed", System.nanoTime());
        AssertionError missed = null;
        try {
            soak(6, 100, "0s");
        } catch (AssertionError e) {
            missed = e;
        }
        assertTrue(missed != null, "with backup.rctime-margin = 0s a change of the skewed client is missed (seed "
                + seed + ")");
        assertTrue(missed.getMessage().contains("the oracle"), missed.getMessage());
        System.out.println("cephsoak: margin 0s: the oracle reported the miss at run " + step + ": "
                + missed.getMessage().lines().findFirst().orElse(""));
    }

    private void soak(int runs, int files, String margin) throws Exception {
        random = new Random(seed);
        b = CephIT.onCeph(new BackupFixture(tmp, area, "data", "data3"), lab);
        Path exclude = tmp.resolve("exclude.txt");
        Files.writeString(exclude, "*.tmp\n");
        b.config.put("backup.exclude-file", exclude.toString());
        b.config.put("backup.rctime-margin", margin);
        b.config.put("backup.parallelism", "2");
        boolean skewOnly = margin.equals("0s");
        for (Path s : b.sources) {
            List<Path> made = new ArrayList<>();
            for (int i = 0; i < files / b.sources.size(); i++) {
                operation(s, 0, made);
            }
            for (Path f : made) {                         // shared folders carry ACLs and attributes from the start
                if (random.nextInt(8) == 0) {
                    acl(s, f);
                }
            }
        }
        Path oracle = Files.createDirectories(tmp.resolve("oracle"));
        for (step = 1; step <= runs; step++) {
            if (step > 1) {
                if (skewOnly) {
                    skewedWrites();
                } else {
                    mutate();
                }
            }
            List<Path> snapshots = new ArrayList<>();
            for (Path s : b.sources) {
                snapshots.add(Files.createDirectory(s.resolve(".snap/oracle-" + step)));
            }
            BackupFixture.Run run = b.run();
            JsonNode report = run.report();
            assertEquals(0, run.exitCode(), "exit code; log:\n" + run.log());
            for (int i = 0; i < b.sources.size(); i++) {
                Path s = b.sources.get(i);
                JsonNode d = run.directory(s);
                if ("rctime".equals(d.get("sync").asText())) {
                    guidedRuns++;
                } else {
                    fullRuns++;
                }
                Path oMirror = oracle.resolve("mirror-" + i);
                Path oDeleted = oracle.resolve("deleted-" + i + "/" + step);
                oracleSync(snapshots.get(i), oMirror, oDeleted, exclude);
                String why = "run " + step + " (" + d.get("sync").asText() + ": " + d.get("syncReason").asText() + "), "
                        + s;
                TreeMap<String, String> want = Trees.describe(oMirror);
                TreeMap<String, String> got = Trees.describe(b.mirror(s));
                if (!want.equals(got)) {
                    why += "\n" + diagnose(want, got, s, snapshots.get(i));
                }
                assertEquals(want, got, "the oracle's mirror (a full sync of the same snapshot) equals the mirror: " + why);
                Path ours = Path.of(report.get("deletedFolder").asText()).resolve(s.getRoot().relativize(s));
                TreeMap<String, String> displaced = Files.isDirectory(ours) ? Trees.filesAndLinks(ours) : new TreeMap<>();
                TreeMap<String, String> expected = Files.isDirectory(oDeleted) ? Trees.filesAndLinks(oDeleted)
                        : new TreeMap<>();
                assertEquals(expected, displaced, "the oracle's displaced versions equal this run's: " + why);
                displacedChecked += displaced.size();
                // what a restore as of this run must give back: the oracle's entries, with the owners, groups,
                // modes and times the snapshot shows for them
                TreeMap<String, String> state = Trees.withAttributes(snapshots.get(i));
                state.keySet().retainAll(want.keySet());
                states.put(step + ":" + s, state);
                aclStates.put(step + ":" + s, aclState(snapshots.get(i)));
                Files.delete(snapshots.get(i));
            }
            // the run's end as its report gives it: a restore point of this run (up to the next run's start)
            moments.add(new String[] {Integer.toString(step), report.get("end").asText()});
            // what the run stored, re-read: every mirror file and deleted-area version against its hash
            assertEquals(0, b.command("verify", "--read-data"), "verify --read-data after run " + step);
            verified++;
            for (FileChannel c : open) {
                c.close();
            }
            open.clear();
            checkRestores();
            Thread.sleep(1100); // the next run starts in another second: its own folder, its own moment
        }
    }

    /** For the first paths that differ: their folders' change times, live and in the snapshot. */
    private static String diagnose(TreeMap<String, String> want, TreeMap<String, String> got, Path source,
            Path snapshot) throws IOException {
        StringBuilder b = new StringBuilder();
        Set<String> keys = new TreeSet<>(want.keySet());
        keys.addAll(got.keySet());
        int n = 0;
        for (String k : keys) {
            if (Objects.equals(want.get(k), got.get(k)) || n++ >= 3) {
                continue;
            }
            b.append(k).append(": oracle ").append(want.get(k)).append(", ours ").append(got.get(k)).append('\n');
            for (Path dir = Path.of(k).getParent(); ; dir = dir.getParent()) {
                for (Path root : List.of(source, snapshot)) {
                    Path at = dir == null ? root : root.resolve(dir.toString());
                    b.append("  ").append(at).append(": ");
                    try {
                        b.append("rctime ").append(CephFs.XATTRS.rctime(at)).append(", ctime ")
                                .append(Files.getAttribute(at, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).append(", mtime ")
                                .append(Files.getLastModifiedTime(at, LinkOption.NOFOLLOW_LINKS));
                    } catch (IOException | RuntimeException e) {
                        b.append(e);
                    }
                    b.append('\n');
                }
                if (dir == null) {
                    break;
                }
            }
        }
        return b.toString();
    }

    /** What the plain script does: a full rclone sync of the snapshot, --delete-before for the links. */
    private void oracleSync(Path snapshot, Path mirror, Path deleted, Path exclude) throws Exception {
        Processes.Done done = Processes.run(tmp, List.of("rclone", "sync", snapshot.toString(), mirror.toString(),
                "--links", "--create-empty-src-dirs", "--delete-before", "--checksum", "--backup-dir",
                deleted.toString(), "--exclude-from", exclude.toString()), 300);
        assertEquals(0, done.code(), "the oracle's sync:\n" + done.output());
    }

    private void checkRestores() throws Exception {
        for (int i = 0; i < 2 && moments.size() > 1; i++) {
            String[] m = moments.get(random.nextInt(moments.size() - 1));
            Path source = b.sources.get(random.nextInt(b.sources.size()));
            Path target = tmp.resolve("restore-" + step + "-" + i);
            assertEquals(0, b.command("restore", source.toString(), "--to", target.toString(), "--as-of", m[1]),
                    "restore of " + source + " as of " + m[1]);
            assertEquals(states.get(m[0] + ":" + source), Trees.withAttributes(target), "restore of " + source
                    + " as of run " + m[0] + " (" + m[1] + ") equals what its snapshot held, owners, modes and "
                    + "times included");
            assertEquals(aclStates.get(m[0] + ":" + source), aclState(target), "restore of " + source + " as of run "
                    + m[0] + ": the ACLs and user attributes its snapshot held");
            aclsCompared += aclStates.get(m[0] + ":" + source).lines().filter(l -> l.contains("posix_acl")).count();
            restores++;
            BackupFixture.deleteTree(target);
        }
    }

    // ---- operations between runs ----

    private void mutate() throws Exception {
        for (Path s : b.sources) {
            List<Path> files = new ArrayList<>(entries(s, false)); // walked once, kept roughly up to date
            int changes = 3 + random.nextInt(12);
            for (int i = 0; i < changes; i++) {
                operation(s, random.nextInt(24), files);
            }
        }
        skewedWrites();
    }

    private void operation(Path s, int op, List<Path> files) throws Exception {
        try {
            tryOperation(s, op, files);
        } catch (FileSystemException e) {
            // a path an earlier operation made impossible (gone, or a folder that became a file): skipped
        }
    }

    private void tryOperation(Path s, int op, List<Path> files) throws Exception {
        Path f = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
        if (f == null || op == 0) {
            files.add(create(s));
            return;
        }
        boolean file = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
        switch (op) {
            case 1 -> {                                   // append through a descriptor held open across the run
                if (file) {
                    FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    c.write(ByteBuffer.wrap(bytes(1 + random.nextInt(3000))));
                    open.add(c);
                }
            }
            case 2 -> {                                   // truncate
                if (file) {
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        c.truncate(c.size() / 2);
                    }
                }
            }
            case 3 -> {                                   // rewrite with the same size and the same mtime
                if (file && Files.size(f) > 0) {
                    FileTime mtime = Files.getLastModifiedTime(f);
                    byte[] now = Files.readAllBytes(f);
                    now[random.nextInt(now.length)] ^= 0x55;
                    Files.write(f, now);
                    Files.setLastModifiedTime(f, mtime);
                }
            }
            case 4 -> Files.delete(f);                    // unlink
            case 5 -> {                                   // rename within
                Path to = s.resolve(dir() + "/moved-" + random.nextInt(1_000_000));
                Files.createDirectories(to.getParent());
                if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(f, to);
                }
            }
            case 6 -> {                                   // rename out of the source (the tree elsewhere on CephFS)
                Files.move(f, scratch.resolve("out-" + random.nextInt(1_000_000)));
            }
            case 7 -> moveInOldTree(s);                   // rename into the source: a tree with old change times
            case 8 -> {                                   // rename a folder whose children are old
                Path dir = f.getParent();
                if (!dir.equals(s)) {
                    Path to = s.resolve("renamed-" + random.nextInt(1_000_000));
                    Files.move(dir, to);
                }
            }
            case 9 -> copyOldTree(s);                     // cp -a of an old tree
            case 10 -> Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofDays(
                    400 + random.nextInt(4000)))));       // touch into the past
            case 11 -> Files.setLastModifiedTime(f, FileTime.from(Instant.now().plus(Duration.ofDays(
                    1 + random.nextInt(300)))));          // and into the future
            case 12 -> {                                  // chmod
                if (file) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(random.nextBoolean()
                            ? "rwxr-x---" : "rw-------"));
                }
            }
            case 13 -> {                                  // a symbolic link, new or retargeted
                Path link = s.resolve(dir() + "/link-" + random.nextInt(50));
                Files.createDirectories(link.getParent());
                if (!Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, Path.of(random.nextBoolean() ? "../x/target-" + random.nextInt(99)
                            : "/nonexistent/" + random.nextInt(99)));
                }
            }
            case 14 -> {                                  // file -> link
                Files.delete(f);
                Files.createSymbolicLink(f, Path.of("target-" + random.nextInt(99)));
            }
            case 15 -> {                                  // file or link -> folder
                Files.delete(f);
                Files.createDirectories(f);
                Files.write(f.resolve("inside.dat"), bytes(100));
            }
            case 16 -> {                                  // a folder -> a file
                Path dir = f.getParent();
                if (!dir.equals(s)) {
                    BackupFixture.deleteTree(dir);
                    Files.write(dir, bytes(200));
                }
            }
            case 17 -> {                                  // a hard link elsewhere, then a write through it
                if (file && !f.getFileName().toString().endsWith(".tmp")) {
                    Path other = s.resolve(dir() + "/hard-" + random.nextInt(1_000_000));
                    Files.createDirectories(other.getParent());
                    if (!Files.exists(other, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createLink(other, f);
                        files.add(other);
                    }
                }
            }
            case 18 -> {                                  // a write through the other name of a hard-linked file
                for (Path h : files) {
                    if (Files.isRegularFile(h, LinkOption.NOFOLLOW_LINKS)
                            && h.getFileName().toString().startsWith("hard-")) {
                        try (FileChannel c = FileChannel.open(h, StandardOpenOption.WRITE)) {
                            c.write(ByteBuffer.wrap(bytes(64)), 0);
                        }
                        break;
                    }
                }
            }
            case 19 -> {                                  // chown and chgrp of a file or link (not its folder)
                Files.setAttribute(f, "unix:uid", OWNERS[random.nextInt(OWNERS.length)], LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(f, "unix:gid", OWNERS[random.nextInt(OWNERS.length)], LinkOption.NOFOLLOW_LINKS);
            }
            case 21, 22 -> acl(s, f);                    // an ACL set, changed or removed; a default ACL on a folder
            case 20 -> {                                  // chmod and chown of a folder, nothing in it changed
                Path dir = f.getParent();
                if (!dir.equals(s)) {
                    Files.setAttribute(dir, "unix:mode", DIR_MODES[random.nextInt(DIR_MODES.length)]);
                    Files.setAttribute(dir, "unix:gid", OWNERS[random.nextInt(OWNERS.length)]);
                }
            }
            default -> {                                  // an excluded file, and an empty folder
                Files.createDirectories(s.resolve(dir()));
                Files.write(s.resolve(dir() + "/scratch-" + random.nextInt(100) + ".tmp"), bytes(10));
                Files.createDirectories(s.resolve(dir() + "/empty-" + random.nextInt(100)));
            }
        }
    }

    private static final String[] ACLS = {"u:1234:rwx", "g:65534:r-x", "u:65534:r--,g:1234:rw-", "g:0:---"};

    /**
     * setfacl on a file or its folder: an entry added or changed, one removed, all removed, a default ACL; or a
     * user.* attribute set.
     */
    private void acl(Path s, Path f) throws Exception {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
            return;                                       // a link has no ACL of its own
        }
        Path on = random.nextBoolean() || f.getParent().equals(s) ? f : f.getParent();
        List<String> command = new ArrayList<>(List.of("setfacl"));
        switch (random.nextInt(6)) {
            case 0, 1 -> command.addAll(List.of("-m", ACLS[random.nextInt(ACLS.length)]));
            case 5 -> command = new ArrayList<>(List.of("setfattr", "-n", "user.experiment", "-v",
                    "run-" + random.nextInt(1000)));
            case 2 -> command.addAll(List.of("-x", "u:1234"));
            case 3 -> command.add("-b");
            default -> {
                if (Files.isDirectory(on, LinkOption.NOFOLLOW_LINKS)) {
                    command.addAll(List.of("-d", "-m", ACLS[random.nextInt(ACLS.length)]));
                } else {
                    command.addAll(List.of("-m", "m::r-x"));
                }
            }
        }
        command.addAll(List.of("--", on.toString()));      // names that are not UTF-8: Java's Path hands its bytes
        Processes.Done done = Processes.run(tmp, command, 30);
        if (done.code() == 0) {
            acls++;
        } else if (!done.output().contains("No such")) {            // gone, or a name Java's String cannot carry
            throw new AssertionError(command + ":\n" + done.output());
        }
    }

    /**
     * An independent reader's view of the ACLs and user.* attributes below ROOT (Python on the names' bytes),
     * one line per entry that has any, the excluded *.tmp files left out.
     */
    private String aclState(Path root) throws Exception {
        Processes.Done done = Processes.run(tmp, List.of("python3", "-c", ACL_STATE, root.toString()), 120);
        assertEquals(0, done.code(), "the ACL reader:\n" + done.output());
        return done.output();
    }

    private static final String ACL_STATE = String.join("\n",
            "import os, sys",
            "root = os.fsencode(sys.argv[1])",
            "out = []",
            "for d, dirs, files in os.walk(root):",
            "    for n in dirs + files:",
            "        p = os.path.join(d, n)",
            "        if os.path.islink(p) or n.endswith(b'.tmp'):",
            "            continue",
            "        found = []",
            "        for x in ['system.posix_acl_access', 'system.posix_acl_default'] + sorted(",
            "                x for x in os.listxattr(p) if x.startswith('user.')):",  // ceph-fuse does not list system.*
            "            try:",
            "                found.append(x + '=' + os.getxattr(p, x).hex())",
            "            except OSError:",
            "                pass",
            "        if found:",
            "            out.append(repr(os.path.relpath(p, root)) + ' ' + ' '.join(found))",
            "print('\\n'.join(sorted(out)))");

    /** Writes through the client whose clock runs behind: new files, and changed ones. */
    private void skewedWrites() throws IOException {
        for (Path s : b.sources) {
            Path through = skewedMount.resolve(lab.mount().relativize(s));
            for (int i = 0; i < 2; i++) {
                Path f = through.resolve(dir() + "/skewed-" + random.nextInt(1_000_000) + ".dat");
                try {
                    Files.createDirectories(f.getParent());
                    Files.write(f, bytes(500 + random.nextInt(2000)));
                } catch (FileSystemException e) {
                    // a folder that became a file
                }
            }
            List<Path> files = entries(through, true);
            if (!files.isEmpty()) {
                Path f = files.get(random.nextInt(files.size()));
                Files.write(f, bytes(700 + random.nextInt(300)));
            }
        }
    }

    private void moveInOldTree(Path s) throws IOException {
        Path tree = scratch.resolve("old-" + random.nextInt(1_000_000));
        Files.createDirectories(tree.resolve("sub"));
        Files.write(tree.resolve("a.dat"), bytes(300));
        Files.write(tree.resolve("sub/b.dat"), bytes(300));
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.move(tree, s.resolve("moved-in-" + random.nextInt(1_000_000)));
    }

    private void copyOldTree(Path s) throws IOException {
        List<Path> dirs;
        try (Stream<Path> st = Files.list(s)) {
            dirs = st.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        if (dirs.isEmpty()) {
            return;
        }
        Path from = dirs.get(random.nextInt(dirs.size()));
        Path to = s.resolve("copy-" + random.nextInt(1_000_000));
        try (Stream<Path> st = Files.walk(from)) {
            for (Path p : st.toList()) {
                Path t = to.resolve(from.relativize(p));        // Path to Path: every name's bytes kept
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private List<Path> entries(Path s, boolean filesOnly) throws IOException {
        try (Stream<Path> st = Files.walk(s)) {
            return st.filter(p -> !p.equals(s) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !filesOnly || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Names a real site has, beside plain ones: a newline, a tab, bytes that are not UTF-8, glob and shell characters. */
    private static final String[] ODD = {"new\nline", "tab\tname", "-dash", "*glob?[x]", " spaces ", "back\\slash",
        "ctl\u0001x", "\u240A symbol", "caf\u00e9"};

    private Path create(Path s) throws IOException {
        Path d = s.resolve(dir());
        Files.createDirectories(d);
        Path f;
        if (random.nextInt(5) == 0) {
            String odd = ODD[random.nextInt(ODD.length)] + "-" + random.nextInt(1_000_000);
            byte[] raw = odd.startsWith("caf") ? odd.getBytes(StandardCharsets.ISO_8859_1)
                    : odd.getBytes(StandardCharsets.UTF_8);     // caf\xe9: not UTF-8
            f = Names.resolve(d, raw);
        } else {
            f = d.resolve("f-" + random.nextInt(1_000_000) + (random.nextInt(10) == 0 ? " sp ü" : "") + ".dat");
        }
        Files.write(f, bytes(random.nextInt(4) == 0 ? 0 : random.nextInt(5000)));
        return f;
    }

    private String dir() {
        return "d" + random.nextInt(6) + (random.nextBoolean() ? "/e" + random.nextInt(3) : "");
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
