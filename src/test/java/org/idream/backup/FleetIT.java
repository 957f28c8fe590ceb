package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Three backup hosts (three daemons: their own node id, config, destination, logs, lock) share six source
 * directories through a real ZooKeeper (Debian's): each directory synced by exactly one host per firing,
 * the same host from firing to firing, taken over by the others when its host is killed (the two others
 * keep theirs), handed back when it returns, nothing synced while ZooKeeper is gone, and the runs back when
 * it returns.
 */
class FleetIT {
    static final List<String> NAMES = List.of("run-a", "run-b", "run-c", "run-d", "run-e", "run-f");

    @TempDir
    Path tmp;

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
            List<FleetHost> hosts = List.of(new FleetHost(tmp, NAMES, "h1", sources, cluster, sources.resolve("run-a").toString()),
                    new FleetHost(tmp, NAMES, "h2", sources, cluster, ""), new FleetHost(tmp, NAMES, "h3", sources, cluster, ""));
            try {
                for (FleetHost h : hosts) {
                    h.start();
                }
                // 1. every directory synced in three firings, once each, by one host, the same every time
                FleetHost.waitFor("three firings of all six directories, the last two alike", 150, hosts,
                        s -> FleetHost.settled(s, NAMES.size(), 3));
                List<FleetHost.Sync> first = FleetHost.all(hosts);
                FleetHost.assertExclusive(first);
                assertTrue(first.stream().allMatch(s -> s.status().equals("success")), first.toString());
                List<Map<String, String>> complete = FleetHost.byFiring(first).values().stream()
                        .filter(f -> f.size() == NAMES.size()).toList();
                Map<String, String> owner = complete.get(complete.size() - 1);
                assertEquals(owner, complete.get(complete.size() - 2), "the same host for each directory, firing "
                        + "after firing: " + FleetHost.byFiring(first));
                assertEquals("h1", owner.get(sources.resolve("run-a").toString()), "h1 prefers run-a: " + owner);
                Map<String, Long> load = owner.values().stream().collect(Collectors.groupingBy(h -> h,
                        Collectors.counting()));
                assertEquals(Map.of("h1", 2L, "h2", 2L, "h3", 2L), load, "an even split: " + owner);

                // 2. kill -9 of h3: its directories go to the others at their next firings, nothing lost
                FleetHost h3 = hosts.get(2);
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
                List<FleetHost> alive = hosts.subList(0, 2);
                FleetHost.waitFor("h3's directories synced by h1 and h2", 150, alive, s -> Stream.concat(ofH3.stream(),
                        Stream.of(stay)).allMatch(src -> s
                        .stream().anyMatch(x -> x.source().equals(src) && x.status().equals("success")
                                && x.started().isAfter(killed))));
                List<FleetHost.Sync> after = FleetHost.all(hosts);
                FleetHost.assertExclusive(after);
                for (String src : ofH3) {
                    FleetHost.Sync taken = after.stream().filter(x -> x.source().equals(src) && x.started().isAfter(killed))
                            .findFirst().orElseThrow();
                    FleetHost by = hosts.stream().filter(h -> h.id.equals(taken.host())).findFirst().orElseThrow();
                    Trees.assertSameTree(Path.of(src), by.b.mirror(Path.of(src)));
                    assertTrue(by.said().contains("cluster: took over " + src + " from h3, which is gone"), by.said());
                    assertTrue(by.said().contains("cluster: " + src + " has no mirror on this host: its first sync "
                            + "here is a full one"), by.said());
                }
                FleetHost h1 = hosts.get(0);
                // the two hosts that stay keep every directory they had: only h3's moved
                for (Map.Entry<String, String> e : owner.entrySet()) {
                    if (!e.getValue().equals("h3")) {
                        List<String> by = after.stream().filter(x -> x.source().equals(e.getKey())
                                && x.started().isAfter(killed)).map(FleetHost.Sync::host).distinct().toList();
                        assertTrue(by.isEmpty() || by.equals(List.of(e.getValue())), e.getKey() + " was "
                                + e.getValue() + "'s, synced after the kill by " + by);
                    }
                }
                // the directory where a file was deleted: its mirror on the host that has it, the deleted file's
                // last version in that host's deleted area
                FleetHost.Sync staySync = after.stream().filter(x -> x.source().equals(stay)
                        && x.started().isAfter(killed)).findFirst().orElseThrow();
                FleetHost stayHost = hosts.stream().filter(h -> h.id.equals(staySync.host())).findFirst().orElseThrow();
                assertEquals(h1, stayHost, stay + " stays on h1");
                Trees.assertSameTree(Path.of(stay), stayHost.b.mirror(Path.of(stay)));
                assertTrue(stayHost.b.deletedAreas(Path.of(stay)).stream().anyMatch(a -> Files.isRegularFile(
                        a.resolve("event-0.dat"))), "the deleted file's last version in " + stayHost.id
                        + "'s deleted area");

                // 2b. h3 comes back: its directories are handed back between syncs, never synced by two at once
                h3.start();
                Instant back = Instant.now();
                FleetHost.waitFor("h3's directories back on h3", 150, hosts, s -> ofH3.stream().allMatch(src -> s.stream()
                        .anyMatch(x -> x.source().equals(src) && x.host().equals("h3") && x.status().equals("success")
                                && x.started().isAfter(back))));
                FleetHost.assertExclusive(FleetHost.all(hosts));
                alive = hosts;

                // 3. ZooKeeper gone: nothing synced, a clear line; back: the runs resume
                zk.stop();
                Instant stopped = Instant.now();
                Thread.sleep((2 * FleetHost.PERIOD + 5) * 1000L);
                Instant restarted = Instant.now();
                zk.start();
                List<FleetHost.Sync> during = FleetHost.all(alive).stream().filter(s -> s.started().isAfter(stopped.plusSeconds(3))
                        && s.started().isBefore(restarted)).toList();
                assertEquals(List.of(), during, "nothing is synced while ZooKeeper is gone");
                for (FleetHost h : alive) {
                    assertTrue(h.said().contains("is out of reach: every lease is given up")
                            || h.said().contains("cannot join"), h.said());
                }
                FleetHost.waitFor("the runs back after ZooKeeper returned", 150, alive, s -> s.stream()
                        .filter(x -> x.started().isAfter(restarted) && x.status().equals("success"))
                        .map(FleetHost.Sync::source).distinct().count() == NAMES.size());
                List<FleetHost.Sync> end = FleetHost.all(hosts);
                FleetHost.assertExclusive(end);
                for (String n : NAMES) {
                    Path src = sources.resolve(n);
                    FleetHost.Sync last = end.stream().filter(x -> x.source().equals(src.toString()))
                            .max(Comparator.comparing(FleetHost.Sync::started)).orElseThrow();
                    FleetHost by = hosts.stream().filter(h -> h.id.equals(last.host())).findFirst().orElseThrow();
                    Trees.assertSameTree(src, by.b.mirror(src));
                }
                // 4. one view of the fleet; the health check; metrics; a restore on the wrong host
                Processes.Done fleet = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "fleet", "--config",
                        h1.b.configFile.toString()), 60);
                assertEquals(0, fleet.code(), fleet.output());
                assertTrue(fleet.output().contains("fleet zookeeper:" + zk.connect() + ": 3 hosts up: h1, h2, h3"),
                        fleet.output());
                for (String n : NAMES) {
                    Path src = sources.resolve(n);
                    String host = end.stream().filter(x -> x.source().equals(src.toString()))
                            .max(Comparator.comparing(FleetHost.Sync::started)).orElseThrow().host();
                    assertTrue(fleet.output().lines().anyMatch(l -> l.startsWith(src + " ") && l.contains(" " + host + " ")
                            && l.contains("success")), src + " on " + host + ":\n" + fleet.output());
                }
                String health = Processes.run(tmp, List.of("curl", "-s", "http://127.0.0.1:"
                        + h1.b.config.get("camel.management.port") + "/observe/health"), 30).output();
                assertTrue(health.contains("; in the cluster zookeeper:" + zk.connect() + " as h1, holding ["), health);
                String metrics = Processes.run(tmp, List.of("curl", "-s", "http://127.0.0.1:"
                        + h1.b.config.get("camel.management.port") + "/observe/metrics"), 30).output();
                assertTrue(metrics.contains("host=\"h1\""), "metrics carry the host");
                String ofH2 = owner.entrySet().stream().filter(e -> e.getValue().equals("h2")).map(Map.Entry::getKey)
                        .findFirst().orElseThrow();
                Processes.Done restore = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "restore", ofH2,
                        "--to", tmp.resolve("restored").toString(), "--config", h1.b.configFile.toString()), 60);
                if (Files.isDirectory(h1.b.mirror(Path.of(ofH2)))) {   // h1 had it in the first firing, before the split
                    assertTrue(restore.output().contains("the host h2 has " + ofH2 + " now"), restore.output());
                } else {
                    assertTrue(restore.code() != 0 && restore.output().contains("the backup of " + ofH2
                            + " is on the host h2, not on this one (h1)"), restore.output());
                }
            } finally {
                for (FleetHost h : hosts) {
                    h.stop();
                }
            }
        }
    }
}
