package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Three backup hosts (three daemons: their own node id, config, destination, logs, lock) share six source
 * directories through a real ZooKeeper (Debian's): each directory synced by exactly one host per firing,
 * the same host from firing to firing, taken over by the others when its host is killed, nothing synced
 * while ZooKeeper is gone, and the runs back when it returns.
 */
class FleetIT {
    static final int PERIOD = 20;
    static final String EVERY = "0/" + PERIOD + " * * * * ?";
    static final List<String> NAMES = List.of("run-a", "run-b", "run-c", "run-d", "run-e", "run-f");

    @TempDir
    Path tmp;

    /** One directory's sync on one host, from that host's run reports. */
    record Sync(String host, String source, Instant started, Instant ended, String status, Instant runStart) {
        long slot() {
            return runStart.getEpochSecond() / PERIOD;
        }
    }

    final class Host {
        final String id;
        final BackupFixture b;
        Process process;
        final Path out;

        Host(String id, Path sources, String cluster, String prefer) throws IOException {
            this.id = id;
            Files.createDirectories(tmp.resolve(id));
            this.b = new BackupFixture(tmp.resolve(id), sources, NAMES.toArray(String[]::new));
            b.config.put("backup.cluster", cluster);
            b.config.put("backup.cluster.node-id", id);
            b.config.put("backup.cluster.prefer", prefer);
            b.config.put("backup.cluster.failover-after", "20s");
            b.config.put("backup.schedule", EVERY);
            b.config.put("camel.management.port", Integer.toString(freePort()));
            b.writeConfig();
            this.out = tmp.resolve(id + ".out");
        }

        void start() throws IOException {
            process = Processes.start(tmp, out, List.of(Processes.LAUNCHER.toString(), "--config", b.configFile.toString()));
        }

        String said() throws IOException {
            return Files.readString(out);
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
                                d.path("status").asText(), java.time.OffsetDateTime.parse(report.path("start").asText())
                                        .toInstant()));
                    }
                }
            }
            return all;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<Sync> all(List<Host> hosts) throws IOException {
        List<Sync> all = new ArrayList<>();
        for (Host h : hosts) {
            all.addAll(h.syncs());
        }
        return all;
    }

    static void waitFor(String what, int seconds, List<Host> hosts, Predicate<List<Sync>> done) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (done.test(all(hosts))) {
                return;
            }
            Thread.sleep(1000);
        }
        StringBuilder said = new StringBuilder();
        for (Host h : hosts) {
            said.append("---- ").append(h.id).append('\n').append(h.said());
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + all(hosts) + "\n" + said);
    }

    /** No directory is ever synced by two hosts at once, nor twice in one firing. */
    static void assertExclusive(List<Sync> syncs) {
        Map<String, List<Sync>> bySource = syncs.stream().collect(Collectors.groupingBy(Sync::source));
        for (List<Sync> one : bySource.values()) {
            for (Sync a : one) {
                for (Sync b : one) {
                    if (a != b && !a.host().equals(b.host())) {
                        assertTrue(!a.started().isBefore(b.ended()) || !b.started().isBefore(a.ended()),
                                "two hosts synced " + a.source() + " at once: " + a + " and " + b);
                    }
                    if (a != b) {
                        assertFalse(a.slot() == b.slot() && !a.host().equals(b.host()),
                                a.source() + " synced twice in one firing: " + a + " and " + b);
                    }
                }
            }
        }
    }

    /** Which host synced each directory in each firing (slot to source to host). */
    static Map<Long, Map<String, String>> byFiring(List<Sync> syncs) {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        for (Sync s : syncs) {
            out.computeIfAbsent(s.slot(), k -> new TreeMap<>()).put(s.source(), s.host());
        }
        return out;
    }

    @Test
    void threeHostsShareSixDirectoriesOnZooKeeper() throws Exception {
        Path sources = tmp.resolve("ceph/exp");
        for (String n : NAMES) {
            for (int i = 0; i < 5; i++) {
                write(sources.resolve(n).resolve("event-" + i + ".dat"), n + " event " + i);
            }
        }
        try (ZooKeeperServer zk = new ZooKeeperServer(tmp.resolve("zk"))) {
            zk.start();
            String cluster = "zookeeper:" + zk.connect();
            List<Host> hosts = List.of(new Host("h1", sources, cluster, sources.resolve("run-a").toString()),
                    new Host("h2", sources, cluster, ""), new Host("h3", sources, cluster, ""));
            try {
                for (Host h : hosts) {
                    h.start();
                }
                // 1. every directory synced in three firings, once each, by one host, the same every time
                waitFor("three firings of all six directories", 150, hosts, s -> byFiring(s).values().stream()
                        .filter(f -> f.size() == NAMES.size()).count() >= 3);
                List<Sync> first = all(hosts);
                assertExclusive(first);
                assertTrue(first.stream().allMatch(s -> s.status().equals("success")), first.toString());
                List<Map<String, String>> complete = byFiring(first).values().stream()
                        .filter(f -> f.size() == NAMES.size()).toList();
                Map<String, String> owner = complete.get(complete.size() - 1);
                assertEquals(owner, complete.get(complete.size() - 2), "the same host for each directory, firing "
                        + "after firing: " + byFiring(first));
                assertEquals("h1", owner.get(sources.resolve("run-a").toString()), "h1 prefers run-a: " + owner);
                Map<String, Long> load = owner.values().stream().collect(Collectors.groupingBy(h -> h,
                        Collectors.counting()));
                assertEquals(Map.of("h1", 2L, "h2", 2L, "h3", 2L), load, "an even split: " + owner);

                // 2. kill -9 of h3: its directories go to the others at their next firings, nothing lost
                Host h3 = hosts.get(2);
                Set<String> ofH3 = owner.entrySet().stream().filter(e -> e.getValue().equals("h3"))
                        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
                h3.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                Instant killed = Instant.now();
                String stay = owner.entrySet().stream().filter(e -> e.getValue().equals("h1")).map(Map.Entry::getKey)
                        .findFirst().orElseThrow();
                Files.delete(Path.of(stay).resolve("event-0.dat"));
                for (String s : ofH3) {
                    write(Path.of(s).resolve("event-1.dat"), "changed after h3 died");
                }
                List<Host> alive = hosts.subList(0, 2);
                waitFor("h3's directories synced by h1 and h2", 150, alive, s -> Stream.concat(ofH3.stream(),
                        Stream.of(stay)).allMatch(src -> s
                        .stream().anyMatch(x -> x.source().equals(src) && x.status().equals("success")
                                && x.started().isAfter(killed))));
                List<Sync> after = all(hosts);
                assertExclusive(after);
                for (String src : ofH3) {
                    Sync taken = after.stream().filter(x -> x.source().equals(src) && x.started().isAfter(killed))
                            .findFirst().orElseThrow();
                    Host by = hosts.stream().filter(h -> h.id.equals(taken.host())).findFirst().orElseThrow();
                    Trees.assertSameTree(Path.of(src), by.b.mirror(Path.of(src)));
                    assertTrue(by.said().contains("cluster: took over " + src + " from h3, which is gone"), by.said());
                    assertTrue(by.said().contains("cluster: " + src + " has no mirror on this host: its first sync "
                            + "here is a full one"), by.said());
                }
                Host h1 = hosts.get(0);
                Trees.assertSameTree(Path.of(stay), h1.b.mirror(Path.of(stay)));
                assertTrue(h1.b.deletedAreas(Path.of(stay)).stream().anyMatch(a -> Files.isRegularFile(
                        a.resolve("event-0.dat"))), "the deleted file's last version in h1's deleted area");
                for (String src : owner.keySet()) {
                    if (!ofH3.contains(src)) {
                        assertEquals(owner.get(src), after.stream().filter(x -> x.source().equals(src)
                                && x.started().isAfter(killed)).map(Sync::host).findFirst().orElse(owner.get(src)),
                                "a directory of a live host stays where it was: " + src);
                    }
                }

                // 3. ZooKeeper gone: nothing synced, a clear line; back: the runs resume
                zk.stop();
                Instant stopped = Instant.now();
                Thread.sleep((2 * PERIOD + 5) * 1000L);
                Instant restarted = Instant.now();
                zk.start();
                List<Sync> during = all(alive).stream().filter(s -> s.started().isAfter(stopped.plusSeconds(3))
                        && s.started().isBefore(restarted)).toList();
                assertEquals(List.of(), during, "nothing is synced while ZooKeeper is gone");
                for (Host h : alive) {
                    assertTrue(h.said().contains("is out of reach: every lease is given up")
                            || h.said().contains("cannot join"), h.said());
                }
                waitFor("the runs back after ZooKeeper returned", 150, alive, s -> s.stream()
                        .filter(x -> x.started().isAfter(restarted) && x.status().equals("success"))
                        .map(Sync::source).distinct().count() == NAMES.size());
                List<Sync> end = all(hosts);
                assertExclusive(end);
                for (String n : NAMES) {
                    Path src = sources.resolve(n);
                    Sync last = end.stream().filter(x -> x.source().equals(src.toString()))
                            .max(java.util.Comparator.comparing(Sync::started)).orElseThrow();
                    Host by = hosts.stream().filter(h -> h.id.equals(last.host())).findFirst().orElseThrow();
                    Trees.assertSameTree(src, by.b.mirror(src));
                }
            } finally {
                for (Host h : hosts) {
                    if (h.process != null && h.process.isAlive()) {
                        h.process.destroy();
                        if (!h.process.waitFor(30, TimeUnit.SECONDS)) {
                            h.process.destroyForcibly();
                        }
                    }
                }
            }
        }
    }
}
