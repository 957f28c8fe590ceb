package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A backup installation in a temporary folder: real source trees, a real backup root, a config file
 * written like an operator would, and runs of the real program (in this JVM, through
 * {@link BackupMain#run}) with the real rclone.
 */
final class BackupFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path mainRoot;
    final Path deletedRoot;
    final Path logDir;
    final Path configFile;
    final List<Path> sources = new ArrayList<>();
    final Map<String, String> config = new LinkedHashMap<>();

    BackupFixture(Path root, String... sourceNames) throws IOException {
        this(root, root.resolve("ceph/exp"), sourceNames);
    }

    /** Sources in {@code sourceParent} (e.g. on a CephFS mount), everything else under {@code root}. */
    BackupFixture(Path root, Path sourceParent, String... sourceNames) throws IOException {
        this.root = root;
        this.mainRoot = root.resolve("backup/main");
        this.deletedRoot = root.resolve("backup/deleted");
        this.logDir = root.resolve("logs");
        this.configFile = root.resolve("backup.properties");
        for (String name : sourceNames) {
            Path s = sourceParent.resolve(name);
            Files.createDirectories(s);
            sources.add(s);
        }
        config.put("backup.sources", String.join(",", sources.stream().map(Path::toString).toList()));
        config.put("backup.main-root", mainRoot.toString());
        config.put("backup.deleted-root", deletedRoot.toString());
        config.put("backup.log-dir", logDir.toString());
        config.put("backup.lock-file", root.resolve("backup.lock").toString());
        config.put("backup.exclude-file", "");
        config.put("backup.user", System.getProperty("user.name"));
        config.put("backup.sync-retry-delay", "1s");
        config.put("rclone.retries", "1");
        config.put("rclone.retries-sleep", "1s");
        config.put("ceph.mount-point", "");
        config.put("ceph.status-command", "");
        // as before the manifest's comparison: guided on CephFS, full elsewhere (tests of the manifest ask for it)
        config.put("backup.change-detection", "rctime");
    }

    Path source(int i) {
        return sources.get(i);
    }

    /** main-root + the source's absolute path. */
    Path mirror(Path source) {
        return mainRoot.resolve(source.getRoot().relativize(source));
    }

    /** The folders this source's displaced files went to, one per run that displaced any, oldest first. */
    List<Path> deletedAreas(Path source) throws IOException {
        List<Path> areas = new ArrayList<>();
        if (!Files.isDirectory(deletedRoot)) {
            return areas;
        }
        Path rel = source.getRoot().relativize(source);
        try (Stream<Path> days = Files.list(deletedRoot)) {
            for (Path day : days.sorted().toList()) {
                try (Stream<Path> runs = Files.list(day)) {
                    for (Path run : runs.sorted().toList()) {
                        if (Files.isDirectory(run.resolve(rel))) {
                            areas.add(run.resolve(rel));
                        }
                    }
                }
            }
        }
        return areas;
    }

    void writeConfig() throws IOException {
        Properties p = new Properties();
        p.putAll(config);
        try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            p.store(w, "test configuration");
        }
    }

    /** Runs {@code bin/backup --once --config <file> args...} in this JVM. */
    Run run(String... args) throws IOException {
        writeConfig();
        List<String> all = new ArrayList<>(List.of("--once", "--config", configFile.toString()));
        all.addAll(List.of(args));
        List<Path> before = logs();
        int code = BackupMain.run(all.toArray(String[]::new), Map.of(), new Properties());
        List<Path> after = logs();
        after.removeAll(before);
        Path log = after.stream().filter(p -> p.toString().endsWith(".log")).findFirst().orElse(null);
        return new Run(code, log);
    }

    /** Runs {@code bin/backup ARGS... --config <file>} in this JVM (restore, versions); the exit code. */
    int command(String... args) throws IOException {
        writeConfig();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", configFile.toString()));
        return BackupMain.run(all.toArray(String[]::new), Map.of(), new Properties());
    }

    List<Path> logs() throws IOException {
        if (!Files.isDirectory(logDir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.list(logDir)) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    /** The fault-injecting rclone wrapper, copied here, configured by "rclone-faulty.conf". */
    Path faultyRclone(String conf) throws IOException {
        Path wrapper = root.resolve("rclone-faulty");
        if (!Files.exists(wrapper)) {
            Files.copy(Path.of("src/test/resources/bin/rclone-faulty"), wrapper, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(root.resolve("rclone-faulty.conf"), conf);
        Files.deleteIfExists(root.resolve("rclone-faulty.count"));
        config.put("rclone.binary", wrapper.toString());
        return wrapper;
    }

    /** The `rclone sync` calls the wrapper saw: one source path per call. */
    List<String> syncCalls() throws IOException {
        Path calls = root.resolve("rclone-faulty.calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** One finished run: its exit code, its log and its report. */
    record Run(int exitCode, Path logFile) {
        String log() throws IOException {
            assertTrue(logFile != null && Files.exists(logFile), "the run wrote a log file");
            return Files.readString(logFile);
        }

        Path reportFile() {
            String name = logFile.getFileName().toString();
            return logFile.resolveSibling(name.replaceAll("\\.log$", ".json"));
        }

        JsonNode report() throws IOException {
            return JSON.readTree(reportFile().toFile());
        }

        JsonNode directory(Path source) throws IOException {
            for (JsonNode d : report().get("directories")) {
                if (d.get("source").asText().equals(source.toString())) {
                    return d;
                }
            }
            throw new AssertionError("no report entry for " + source);
        }

        Run expect(int code) throws IOException {
            assertEquals(code, exitCode, () -> "exit code; log:\n" + (logFile == null ? "(none)" : read()));
            return this;
        }

        private String read() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
