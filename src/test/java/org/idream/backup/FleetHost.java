package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One host of a test fleet: a daemon (bin/backup without --once) with its own node id, configuration,
 * destination, logs and lock, firing every {@value #PERIOD} s; what it synced, read from its run reports.
 */
final class FleetHost {
    static final int PERIOD = 20;
    static final String EVERY = "0/" + PERIOD + " * * * * ?";

    /** One directory's sync on one host, from that host's run reports. */
    record Sync(String host, String source, Instant started, Instant ended, String status, Instant runStart) {
        long slot() {
            return runStart.getEpochSecond() / PERIOD;
        }
    }

    final String id;
    final BackupFixture b;
    final Path out;
    private final Path cwd;
    Process process;

    FleetHost(Path tmp, List<String> names, String id, Path sources, String cluster, String prefer) throws IOException {
        this.id = id;
        this.cwd = tmp;
        Files.createDirectories(tmp.resolve(id));
        this.b = new BackupFixture(tmp.resolve(id), sources, names.toArray(String[]::new));
        b.config.put("backup.cluster", cluster);
        b.config.put("backup.cluster.node-id", id);
        b.config.put("backup.cluster.prefer", prefer);
        b.config.put("backup.cluster.failover-after", "20s");
        b.config.put("backup.schedule", EVERY);
        b.config.put("camel.management.port", Integer.toString(freePort()));
        this.out = tmp.resolve(id + ".out");
    }

    /** Starts the daemon: {@code prefix} before the launcher (e.g. a mount namespace of its own). */
    void start(String... prefix) throws IOException {
        b.writeConfig();
        List<String> command = new ArrayList<>(List.of(prefix));
        command.addAll(List.of(Processes.LAUNCHER.toString(), "--config", b.configFile.toString()));
        process = Processes.start(cwd, out, command);
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    String said() throws IOException {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    List<Sync> syncs() throws IOException {
        List<Sync> all = new ArrayList<>();
        for (Path r : b.logs().stream().filter(p -> p.toString().endsWith(".json")).toList()) {
            JsonNode report;
            try {
                report = BackupFixture.JSON.readTree(r.toFile());
            } catch (IOException e) {
                continue;       // being written
            }
            for (JsonNode d : report.path("directories")) {
                if (d.path("started").isTextual()) {
                    all.add(new Sync(report.path("host").asText(), d.path("source").asText(),
                            Instant.parse(d.path("started").asText()),
                            d.path("ended").isTextual() ? Instant.parse(d.path("ended").asText()) : Instant.MAX,
                            d.path("status").asText(), OffsetDateTime.parse(report.path("start").asText()).toInstant()));
                }
            }
        }
        return all;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<Sync> all(List<FleetHost> hosts) throws IOException {
        List<Sync> all = new ArrayList<>();
        for (FleetHost h : hosts) {
            all.addAll(h.syncs());
        }
        return all;
    }

    static void waitFor(String what, int seconds, List<FleetHost> hosts, Predicate<List<Sync>> done) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (done.test(all(hosts))) {
                return;
            }
            Thread.sleep(1000);
        }
        StringBuilder said = new StringBuilder();
        for (FleetHost h : hosts) {
            said.append("---- ").append(h.id).append('\n').append(h.said());
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + all(hosts) + "\n" + said);
    }

    /** No directory is ever synced by two hosts at once, nor by two hosts in one firing. */
    static void assertExclusive(List<Sync> syncs) {
        Map<String, List<Sync>> bySource = syncs.stream().collect(Collectors.groupingBy(Sync::source));
        for (List<Sync> one : bySource.values()) {
            for (Sync a : one) {
                for (Sync b : one) {
                    if (a != b && !a.host().equals(b.host())) {
                        assertTrue(!a.started().isBefore(b.ended()) || !b.started().isBefore(a.ended()),
                                "two hosts synced " + a.source() + " at once: " + a + " and " + b);
                        assertFalse(a.slot() == b.slot(), a.source() + " synced twice in one firing: " + a + " and " + b);
                    }
                }
            }
        }
    }

    /**
     * At least {@code n} firings that synced every one of {@code count} directories, the last two with the same host
     * for each: the leases settled (while the hosts join, a firing can sync a directory on the host that had it
     * then, and hand it over after; the next firing syncs it where it belongs).
     */
    static boolean settled(List<Sync> syncs, int count, int n) {
        List<Map<String, String>> complete = byFiring(syncs).values().stream().filter(f -> f.size() == count).toList();
        return complete.size() >= n && complete.get(complete.size() - 1).equals(complete.get(complete.size() - 2));
    }

    /** Which host synced each directory in each firing (slot to source to host). */
    static Map<Long, Map<String, String>> byFiring(List<Sync> syncs) {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        for (Sync s : syncs) {
            out.computeIfAbsent(s.slot(), k -> new TreeMap<>()).put(s.source(), s.host());
        }
        return out;
    }
}
