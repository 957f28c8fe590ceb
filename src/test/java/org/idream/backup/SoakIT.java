package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's one promise, checked over many runs: every version of every file is recoverable.
 *
 * <p>A seeded random sequence of backup runs (the real launcher, the real rclone), each with the
 * application's clock 8 hours further ahead ({@code -Dbackup.clock.offset}), so that retention ({@code backup.retention-days = 2})
 * removes dated folders along the way. Between runs, files and folders are created, modified (same
 * size and other size), renamed and deleted, symbolic links changed, excluded files created; some runs
 * get a fault (a retryable rclone failure, a fatal one on one directory, or rclone killed with kill -9
 * at a random point), in {@code rclone sync} and in the {@code rclone copy} of a run guided by the last manifest
 * alike. After every run: the mirror equals the source (minus excludes) for every directory that succeeded;
 * one whose full sync failed before rclone started is untouched, one whose guided run failed holds only what
 * it held or what the source holds (what left the source was displaced before the copy); every
 * version that left a mirror (whatever happened) is in the deleted area under the run that
 * displaced it, byte for byte, until retention removes that dated folder, never earlier; and a restore
 * as of a few earlier moments equals what the source held then.
 *
 * <p>{@code -Dsoak.runs=30 -Dsoak.files=2000 -Dsoak.seed=N} (a failure prints the seed and the run).
 */
@Tag("soak")
class SoakIT {
    private static final DateTimeFormatter FAKE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int RETENTION_DAYS = 2;

    @TempDir
    Path tmp;

    /** One file's state: its content (regular file) or its target (link). */
    record Version(boolean link, byte[] content, String target) {
        static Version of(Path p) throws IOException {
            return Files.isSymbolicLink(p) ? new Version(true, null, Files.readSymbolicLink(p).toString())
                    : new Version(false, Files.readAllBytes(p), null);
        }

        boolean same(Version o) {
            return o != null && link == o.link && (link ? target.equals(o.target)
                    : java.util.Arrays.equals(content, o.content));
        }
    }

    /** A version that a run displaced: where it must be, until when. */
    record Displaced(String source, String path, Version version, Path folder, LocalDate day, int run) {
    }

    /** What a restore as of a moment must give back. */
    record Moment(String when, LocalDate day, Map<String, TreeMap<String, String>> state) {
    }

    private Random random;
    private long seed;
    private int step;
    private int versionsChecked;
    private int faults;
    /** The source text of the faulty directory's rclone calls. */
    private String faultMatch = "nothing";
    private int restoresChecked;
    /** How the directories that succeeded were synced: full, manifest (guided by the last manifest). */
    private final Map<String, Integer> syncs = new TreeMap<>();
    private final List<Displaced> displaced = new ArrayList<>();
    private final List<Moment> moments = new ArrayList<>();

    @Test
    void everyVersionOfEveryFileIsRecoverable() throws Exception {
        int runs = Integer.getInteger("soak.runs", 30);
        int files = Integer.getInteger("soak.files", 2000);
        seed = Long.getLong("soak.seed", System.nanoTime());
        random = new Random(seed);
        System.out.println("soak: seed " + seed + ", " + runs + " runs, " + files + " files");
        try {
            soak(runs, files);
        } catch (Throwable t) {
            throw new AssertionError("soak failed at run " + step + " (seed " + seed + ", rerun with -Dsoak.seed="
                    + seed + "): " + t.getMessage(), t);
        }
        System.out.printf("soak: seed %d: %d runs, %d faults injected, directories synced %s, %d displaced versions "
                + "checked, %d restores compared, versions lost: 0%n", seed, runs, faults, syncs, versionsChecked,
                restoresChecked);
    }

    private void soak(int runs, int files) throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        Path exclude = tmp.resolve("exclude.txt");
        Files.writeString(exclude, "*.tmp\n");
        b.config.put("backup.exclude-file", exclude.toString());
        b.config.put("backup.retention-days", Integer.toString(RETENTION_DAYS));
        b.config.put("backup.parallelism", "2");
        // guided by the last manifest (as off CephFS by default), a full sync every 7 days of the moved clock and
        // after a failure: faults go into `rclone sync` and the guided `rclone copy` alike
        b.config.put("backup.change-detection", "manifest");
        b.config.put("backup.sync-retry-delay", "1s");
        b.faultyRclone("MATCH=nothing\n");
        for (Path s : b.sources) {
            for (int i = 0; i < files / b.sources.size(); i++) {
                createFile(s);
            }
        }
        Map<Path, Map<String, Version>> mirrorState = new HashMap<>();
        for (Path s : b.sources) {
            mirrorState.put(s, Map.of());
        }
        for (step = 1; step <= runs; step++) {
            String fault = "none";
            if (step > 1) {
                mutate(b);
                fault = pickFault(b);
            }
            Map<Path, Map<String, Version>> sourceState = new HashMap<>();
            for (Path s : b.sources) {
                sourceState.put(s, state(s));
            }
            JsonNode report = run(b, java.time.Duration.ofHours(8L * step), fault);
            Path folder = Path.of(report.get("deletedFolder").asText());
            LocalDate day = java.time.OffsetDateTime.parse(report.get("start").asText())
                    .atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDate();
            LocalDateTime end = java.time.OffsetDateTime.parse(report.get("end").asText())
                    .atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime();
            Map<String, TreeMap<String, String>> restorable = new HashMap<>();
            for (Path s : b.sources) {
                JsonNode d = directory(report, s);
                boolean failed = !"success".equals(d.get("status").asText());
                if (!failed) {
                    syncs.merge(d.get("sync").asText(), 1, Integer::sum);
                }
                Map<String, Version> before = mirrorState.get(s);
                Map<String, Version> mirror = state(b.mirror(s));
                if (!failed) {
                    assertEquals(describe(sourceState.get(s)), describe(mirror), "the mirror equals the source: " + s);
                    restorable.put(s.toString(), describe(mirror));
                } else if (fault.equals("fatal") && d.path("sync").asText().equals("full")) {
                    // untouched, but for what changed kind in the source (a link now a file, a file now a link):
                    // displaced before rclone starts, so that nothing is written through a link; checked in the
                    // deleted area below
                    Map<String, Version> untouched = new HashMap<>(before);
                    Map<String, Version> now = sourceState.get(s);
                    untouched.keySet().removeIf(k -> now.containsKey(k) && now.get(k).link() != before.get(k).link());
                    assertEquals(describe(untouched), describe(mirror), "the failed directory's mirror is untouched: " + s);
                } else if (fault.equals("fatal")) {
                    // guided: what left the source or changed kind was displaced and links were made before the
                    // copy failed; the mirror moved only toward the source (what left it: in the deleted area below)
                    Map<String, Version> now = sourceState.get(s);
                    for (var e : mirror.entrySet()) {
                        assertTrue(e.getValue().same(before.get(e.getKey())) || e.getValue().same(now.get(e.getKey())),
                                "the failed directory's mirror holds what it held or what the source holds: " + s + "/"
                                        + e.getKey());
                    }
                    for (var e : before.entrySet()) {
                        assertTrue(mirror.containsKey(e.getKey()) || !e.getValue().same(now.get(e.getKey())),
                                "the failed directory's mirror lost what the source still holds: " + s + "/"
                                        + e.getKey());
                    }
                }
                // whatever happened (even rclone killed mid-file), every version that left the mirror is in
                // this run's folder of the deleted area
                for (Map.Entry<String, Version> e : before.entrySet()) {
                    if (!e.getValue().same(mirror.get(e.getKey()))) {
                        displaced.add(new Displaced(s.toString(), e.getKey(), e.getValue(),
                                folder.resolve(s.getRoot().relativize(s)), day, step));
                    }
                }
                mirrorState.put(s, mirror);
            }
            checkDeletedArea(day);
            if (!restorable.isEmpty() && restorable.size() == b.sources.size()) {
                moments.add(new Moment(FAKE.format(end.plusHours(1)), day, restorable));
            }
            checkRestores(b, day);
        }
    }

    private JsonNode run(BackupFixture b, java.time.Duration ahead, String fault) throws Exception {
        b.writeConfig();
        List<Path> before = b.logs();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString(), "-Dbackup.clock.offset=" + ahead), 300);
        if (fault.equals("killed")) {
            assertTrue(done.code() == 0 || done.code() == 1, "exit code with rclone killed:\n" + done.output());
        } else {
            // a fatal fault fails the directory when rclone was called for it (a guided run with nothing to
            // copy calls none)
            boolean reached = b.syncCalls().stream().anyMatch(c -> c.contains(faultMatch));
            int expected = fault.equals("fatal") && reached ? 1 : 0;
            assertEquals(expected, done.code(), "exit code with fault " + fault + ":\n" + done.output());
        }
        List<Path> after = b.logs();
        after.removeAll(before);
        Path report = after.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        b.faultyRclone("MATCH=nothing\n");
        Files.deleteIfExists(tmp.resolve("rclone-faulty.calls"));
        return BackupFixture.JSON.readTree(report.toFile());
    }

    private static JsonNode directory(JsonNode report, Path source) {
        for (JsonNode d : report.get("directories")) {
            if (d.get("source").asText().equals(source.toString())) {
                return d;
            }
        }
        throw new AssertionError("no " + source + " in the report");
    }

    /** Every displaced version is where it must be, byte for byte, while its dated folder is kept. */
    private void checkDeletedArea(LocalDate today) throws IOException {
        LocalDate cutoff = today.minusDays(RETENTION_DAYS);
        for (Displaced d : displaced) {
            Path copy = d.folder().resolve(d.path());
            Path dayFolder = d.folder().getParent();
            while (dayFolder != null && !dayFolder.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}")) {
                dayFolder = dayFolder.getParent();
            }
            if (d.day().isBefore(cutoff)) {
                assertFalse(Files.exists(dayFolder), "retention removed " + dayFolder + " (run " + d.run() + ")");
                continue;
            }
            assertTrue(Files.exists(copy, LinkOption.NOFOLLOW_LINKS), "version of " + d.source() + "/" + d.path()
                    + " displaced by run " + d.run() + " is in " + copy);
            Version kept = Version.of(copy);
            if (d.version().link()) {
                assertEquals(d.version().target(), kept.target(), copy.toString());
            } else {
                assertArrayEquals(d.version().content(), kept.content(), copy.toString());
            }
            versionsChecked++;
        }
    }

    /** A restore as of two random earlier moments still inside retention equals the state then. */
    private void checkRestores(BackupFixture b, LocalDate today) throws IOException {
        List<Moment> inside = moments.stream().filter(m -> !m.day().isBefore(today.minusDays(RETENTION_DAYS)))
                .toList();
        for (int i = 0; i < 2 && !inside.isEmpty(); i++) {
            Moment m = inside.get(random.nextInt(inside.size()));
            Path source = b.sources.get(random.nextInt(b.sources.size()));
            Path target = tmp.resolve("restore-" + step + "-" + i);
            assertEquals(0, b.command("restore", source.toString(), "--to", target.toString(), "--as-of", m.when()),
                    "restore of " + source + " as of " + m.when());
            TreeMap<String, String> got = Trees.filesAndLinks(target);
            TreeMap<String, String> want = new TreeMap<>(m.state().get(source.toString()));
            assertEquals(want, got, "restore of " + source + " as of " + m.when());
            restoresChecked++;
            BackupFixture.deleteTree(target);
        }
    }

    // ---- the source's state ----

    private static Map<String, Version> state(Path root) throws IOException {
        Map<String, Version> all = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root) || p.getFileName().toString().endsWith(".tmp")
                        || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                all.put(root.relativize(p).toString(), Version.of(p));
            }
        }
        return all;
    }

    /** As Trees.filesAndLinks describes a tree: path → "file <hash>" or "link -> target". */
    private static TreeMap<String, String> describe(Map<String, Version> state) {
        TreeMap<String, String> d = new TreeMap<>();
        state.forEach((p, v) -> d.put(p, v.link() ? "link -> " + v.target() : "file " + Trees.sha256(v.content())));
        return d;
    }

    // ---- changes between runs ----

    private void mutate(BackupFixture b) throws IOException {
        for (Path s : b.sources) {
            List<Path> files = new ArrayList<>(files(s));   // walked once, then kept up to date
            int changes = 1 + random.nextInt(Math.max(2, files.size() / 30));
            for (int i = 0; i < changes; i++) {
                int op = random.nextInt(100);
                Path f = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
                if (f != null && !Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                    files.remove(f);                         // gone with a folder deleted earlier
                    continue;
                }
                if (f == null || op < 20) {
                    files.add(createFile(s));
                } else if (op < 35 && !Files.isSymbolicLink(f)) {
                    byte[] now = Files.readAllBytes(f);      // same size, other content
                    if (now.length == 0) {
                        now = new byte[] {1};
                    } else {
                        now[random.nextInt(now.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                    Files.write(f, now);
                } else if (op < 50) {
                    Files.delete(f);                         // another size (a link becomes a file)
                    Files.write(f, bytes());
                } else if (op < 60) {
                    Path to = s.resolve(dir() + "/renamed-" + random.nextInt(1_000_000) + ".dat");
                    Files.createDirectories(to.getParent());
                    if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        files.remove(f);
                        files.add(to);
                    }
                } else if (op < 72) {
                    Files.delete(f);
                    files.remove(f);
                } else if (op < 78) {
                    Path dir = f.getParent();
                    if (!dir.equals(s)) {
                        BackupFixture.deleteTree(dir);
                        files.removeIf(p -> p.startsWith(dir));
                    }
                } else if (op < 86) {
                    Path link = s.resolve(dir() + "/link-" + random.nextInt(1000));
                    Files.createDirectories(link.getParent());
                    if (!Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(link);
                        Files.createSymbolicLink(link, Path.of(random.nextBoolean() ? "../x/target-"
                                + random.nextInt(100) : "/nonexistent/" + random.nextInt(100)));
                        files.add(link);
                    }
                } else if (op < 92) {
                    Files.createDirectories(s.resolve(dir() + "/empty-" + random.nextInt(1000)));
                } else {
                    Path tmpFile = s.resolve(dir() + "/scratch-" + random.nextInt(1000) + ".tmp");
                    Files.createDirectories(tmpFile.getParent());
                    Files.write(tmpFile, bytes());
                }
            }
        }
    }

    private String pickFault(BackupFixture b) throws IOException {
        int f = random.nextInt(100);
        Path s = b.sources.get(random.nextInt(b.sources.size()));
        String match = s.getFileName().toString().equals("data") ? "ceph/exp/data\n" : "data3\n";
        faultMatch = match.strip();
        if (f < 10) {
            faults++;
            // a failure rclone's own retries could not fix: the whole sync is tried again
            b.faultyRclone("COMMANDS='sync copy'\nMATCH=" + match.replace("\n", "") + "\nFAILURES=1\nEXIT=5\nRUN_FIRST="
                    + (random.nextBoolean() ? "yes" : "no") + "\n");
            return "retryable";
        }
        if (f < 16) {
            faults++;
            b.faultyRclone("COMMANDS='sync copy'\nMATCH=" + match.replace("\n", "") + "\nFAILURES=-1\nEXIT=7\n");
            return "fatal";
        }
        if (f < 22) {
            faults++;
            // rclone killed (kill -9) at a random point of its sync, slowed so that it is mid-file
            b.faultyRclone("COMMANDS='sync copy'\nMATCH=" + match.replace("\n", "") + "\nFAILURES=-1\nKILL_AFTER=0." + random.nextInt(10)
                    + "\nEXTRA='--bwlimit 2M'\n");
            return "killed";
        }
        return "none";
    }

    private List<Path> files(Path s) throws IOException {
        try (Stream<Path> st = Files.walk(s)) {
            return st.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private String dir() {
        return "d" + random.nextInt(8) + (random.nextBoolean() ? "/e" + random.nextInt(4) : "");
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(6000)];
        random.nextBytes(b);
        return b;
    }

    private Path createFile(Path s) throws IOException {
        Path f = s.resolve(dir() + "/f-" + random.nextInt(1_000_000) + (random.nextInt(10) == 0 ? " sp ü" : "")
                + ".dat");
        Files.createDirectories(f.getParent());
        Files.write(f, bytes());
        return f;
    }

}
