package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.SyncKind;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change-guided sync against its oracle, on local disk: after random changes to the source, a guided
 * run must leave the mirror and this run's deleted area exactly as the plain script's
 * {@code rclone sync --backup-dir --delete-before --links} leaves its own copies of them.
 * {@code -Doracle.rounds=N -Doracle.seed=S -Doracle.files=F} for a longer one ({@code bin/soak --oracle}).
 */
class GuidedSyncOracleTest {
    private static final String[] DIRS = {"", "a", "a/b", "c", "c/d/e", "f"};

    @TempDir
    Path tmp;
    private Random random;
    private Path source;
    private int made;

    /** @param detection what finds the changes: CephFS's rctimes (from a walk here) or the last manifest */
    @ParameterizedTest
    @ValueSource(strings = {"rctime", "manifest"})
    void aGuidedRunLeavesWhatAFullSyncWould(String detection) throws Exception {
        long seed = Long.getLong("oracle.seed", System.nanoTime());
        int rounds = Integer.getInteger("oracle.rounds", 12);
        random = new Random(seed);
        source = tmp.resolve("ceph/exp/data");
        for (int i = 0, n = Integer.getInteger("oracle.files", 40); i < n; i++) {
            create();
        }
        SyncHarness h = new SyncHarness(tmp, source, Map.of("backup.change-detection", detection));
        Path oracleMirror = tmp.resolve("oracle/mirror");
        Path oracleDeleted = tmp.resolve("oracle/deleted");
        assertEquals(SyncKind.FULL, h.run(false).kind());
        oracle(oracleMirror, oracleDeleted.resolve("0"));
        int guided = 0;
        int changes = 0;
        int deltas = 0;
        System.out.println("oracle: " + detection + ", seed " + seed + ", " + rounds + " rounds");
        for (int round = 1; round <= rounds; round++) {
            List<String> did = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                did.add(change());
            }
            changes += did.size();
            DirectoryJob job = h.run(false);
            guided += job.kind().id().equals(detection) ? 1 : 0;
            oracle(oracleMirror, oracleDeleted.resolve(Integer.toString(round)));
            String what = "seed " + seed + ", round " + round + " (" + job.kind().id() + "): " + did;
            assertEquals(SyncHarness.describe(oracleMirror), SyncHarness.describe(job.directory().mirror()),
                    "the mirror, " + what);
            assertEquals(SyncHarness.describe(oracleDeleted.resolve(Integer.toString(round))),
                    SyncHarness.describe(job.directory().deletedArea()), "the deleted area, " + what);
            assertEquals(SyncHarness.recordable(source, job.directory().mirror()),
                    SyncHarness.recorded(job.manifest()), "the manifest, " + what);
            deltas += ManifestReader.header(job.manifest()).delta() ? 1 : 0;
        }
        assertTrue(guided >= rounds - 1, "runs guided by change times: " + guided + " of " + rounds);
        assertTrue(deltas >= guided - 1, "manifests written as a delta: " + deltas + " of " + guided + " guided");
        System.out.println("oracle: " + detection + ", seed " + seed + ": " + rounds + " rounds (" + guided + " guided), "
                + changes + " changes, mirror and deleted area equal to rclone sync's after every round, " + deltas
                + " manifests written as a delta, each equal to the tree");
    }

    /** The plain script: rclone sync of the source into the oracle's mirror, what leaves it into {@code deleted}. */
    private void oracle(Path mirror, Path deleted) throws Exception {
        Process p = new ProcessBuilder("rclone", "sync", source.toString(), mirror.toString(), "--links",
                "--create-empty-src-dirs", "--checksum", "--delete-before", "--backup-dir", deleted.toString(),
                "-q").inheritIO().start();
        assertEquals(0, p.waitFor(), "the oracle's rclone sync");
    }

    /** One of the folders (made when needed; where a file now stands in its way, the top). */
    private Path dir() {
        Path d = source.resolve(DIRS[random.nextInt(DIRS.length)]);
        for (Path p = d; p != null && p.startsWith(source); p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return source;
            }
        }
        return d;
    }

    /** Names a real site has: any byte string a POSIX name may be. */
    private static final String[] NAMES = {"f%d.dat", "new\nline %d", "tab\t%d", "-dash%d", "*glob?%d[x]",
        " spaces %d ", "back\\slash%d", "ctl\u0001%d", "\u240A symbol %d", "ünï %d", "%d.rclone", "caf\u00e9 %d"};

    private String create() throws IOException {
        String template = NAMES[random.nextInt(NAMES.length)];
        String name = String.format(template, made++);
        // the last name as Latin-1 bytes (not UTF-8), the others as UTF-8
        byte[] raw = template.startsWith("caf") ? name.getBytes(StandardCharsets.ISO_8859_1)
                : name.getBytes(StandardCharsets.UTF_8);
        Path d = dir();
        Files.createDirectories(d);
        Path f = Names.resolve(d, raw);
        Files.writeString(f, "content " + random.nextInt(1000) + " ".repeat(random.nextInt(50)));
        return "create " + ListedNames.escaped(ListedNames.of(raw)) + " in " + source.relativize(d);
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            return all.filter(p -> !p.equals(source)).sorted().toList();
        }
    }

    private Path any(boolean directories) throws IOException {
        List<Path> e = entries().stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) == directories)
                .toList();
        return e.isEmpty() ? null : e.get(random.nextInt(e.size()));
    }

    /** One random change; what it was. */
    private String change() throws IOException {
        Path f = any(false);
        Path d = any(true);
        switch (random.nextInt(12)) {
            case 0:
                return create();
            case 1:                                     // rewritten, another size
                if (f != null && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.writeString(f, "rewritten " + random.nextInt() + "x".repeat(random.nextInt(9)));
                    return "rewrite " + source.relativize(f);
                }
                return create();
            case 2:                                     // the same size, the old modification time
                if (f != null && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    FileTime old = Files.getLastModifiedTime(f);
                    byte[] b = Files.readAllBytes(f);
                    if (b.length > 0) {
                        b[0] = (byte) (b[0] == 'X' ? 'Y' : 'X');
                    }
                    Files.write(f, b);
                    Files.setLastModifiedTime(f, old);
                    return "same size and mtime " + source.relativize(f);
                }
                return create();
            case 3:
                if (f != null) {
                    Files.delete(f);
                    return "delete " + source.relativize(f);
                }
                return create();
            case 4:                                     // renamed into another folder
                if (f != null) {
                    Path to = dir().resolve("moved" + made++);
                    Files.createDirectories(to.getParent());
                    Files.move(f, to);
                    return "move " + source.relativize(f) + " to " + source.relativize(to);
                }
                return create();
            case 5:                                     // a folder and all below it gone
                if (d != null) {
                    removeTree(d);
                    return "remove tree " + source.relativize(d);
                }
                return create();
            case 6:                                     // a file becomes a link
                if (f != null) {
                    Files.delete(f);
                    Files.createSymbolicLink(f, Path.of("target-" + random.nextInt(5)));
                    return "file to link " + source.relativize(f);
                }
                return create();
            case 7:                                     // a file becomes a folder
                if (f != null) {
                    Files.delete(f);
                    Files.createDirectories(f);
                    Files.writeString(f.resolve("inside.dat"), "inside " + random.nextInt());
                    return "file to folder " + source.relativize(f);
                }
                return create();
            case 8:                                     // a folder becomes a file
                if (d != null) {
                    removeTree(d);
                    Files.writeString(d, "was a folder");
                    return "folder to file " + source.relativize(d);
                }
                return create();
            case 9:                                     // an empty folder, and a folder of old files moved in
                Path empty = dir().resolve("empty" + made++);
                Files.createDirectories(empty);
                Path tree = tmp.resolve("elsewhere/t" + made++);
                Files.createDirectories(tree.resolve("deep"));
                Files.writeString(tree.resolve("deep/old.dat"), "old " + random.nextInt());
                Files.setLastModifiedTime(tree.resolve("deep/old.dat"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
                Path into = dir().resolve(tree.getFileName());
                Files.createDirectories(into.getParent());
                Files.move(tree, into);
                return "mkdir " + source.relativize(empty) + ", move in " + source.relativize(into);
            case 11:                                    // a writer whose clock is days off
                return skewedWriter(f);
            default:                                    // a link's target changes
                if (f != null && Files.isSymbolicLink(f)) {
                    Files.delete(f);
                    Files.createSymbolicLink(f, Path.of("other-" + random.nextInt(5)));
                    return "relink " + source.relativize(f);
                }
                return create();
        }
    }

    /**
     * A writer whose clock is days ahead or behind (Debian's faketime around a real shell: a tar, a cp -p or a DAQ
     * writer stamps files with its own "now"): rewrites {@code f} (same size, another content; a new file where
     * {@code f} is not a regular file with a UTF-8 name) and sets its modification time to its skewed now.
     */
    private String skewedWriter(Path f) throws IOException {
        Path to = f;
        if (f == null || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                || !Arrays.equals(Names.bytes(f), f.toString().getBytes(StandardCharsets.UTF_8))) {
            to = dir().resolve("skewed" + made++ + ".dat");
            Files.createDirectories(to.getParent());
        }
        byte[] b = Files.exists(to) ? Files.readAllBytes(to) : "skewed writer".getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) {
            b[0] = (byte) (b[0] == 'S' ? 'T' : 'S');
        }
        long days = (1 + random.nextInt(400)) * (random.nextBoolean() ? 1 : -1);
        String offset = (days > 0 ? "+" : "") + days + "d";
        if (FAKETIME) {
            Process p = new ProcessBuilder("faketime", "-f", offset, "sh", "-c", "cat > \"$1\" && touch -d now \"$1\"",
                    "sh", to.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var in = p.getOutputStream()) {
                in.write(b);
            }
            try {
                assertEquals(0, p.waitFor(), "faketime " + offset + " sh -c 'cat > f; touch -d now f'");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        } else {
            Files.write(to, b);
            Files.setLastModifiedTime(to, FileTime.from(Instant.now().plusSeconds(days * 86_400)));
        }
        return "written by a clock " + offset + " off " + source.relativize(to);
    }

    private static final boolean FAKETIME = Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "faketime")));

    private static void removeTree(Path d) throws IOException {
        try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
