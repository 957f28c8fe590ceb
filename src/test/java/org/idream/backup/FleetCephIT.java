package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet on a lock directory on the CephFS itself ({@code backup.cluster = file:...}): two hosts, each
 * through its own ceph-fuse client of the lab's file system (the second in a mount namespace of its own,
 * where its client is mounted where the first host has its), share four directories: each synced by one
 * host per firing, and the killed host's directories taken over by the other.
 */
@ExtendWith(CephLab.class)
class FleetCephIT {
    static final List<String> NAMES = List.of("run-a", "run-b", "run-c", "run-d");

    @TempDir
    Path tmp;

    @Test
    void twoHostsOnTwoCephClientsShareTheDirectoriesThroughLocksOnTheCephFs() throws Exception {
        CephLab.Lab lab = CephLab.lab();
        lab.ensureMounted();
        Path second = lab.mountSecond();
        Path sources = Files.createTempDirectory(lab.mount(), "fleet-");
        Path locks = Files.createTempDirectory(lab.mount(), "fleet-locks-");
        for (String n : NAMES) {
            for (int i = 0; i < 4; i++) {
                write(sources.resolve(n).resolve("event-" + i + ".dat"), n + " event " + i);
            }
        }
        String cluster = "file:" + locks;
        FleetHost h1 = new FleetHost(tmp, NAMES, "h1", sources, cluster, "");
        FleetHost h2 = new FleetHost(tmp, NAMES, "h2", sources, cluster, "");
        for (FleetHost h : List.of(h1, h2)) {
            CephIT.onCeph(h.b, lab);
            h.b.config.put("ceph.status-command", "");
        }
        List<FleetHost> hosts = List.of(h1, h2);
        try {
            h1.start();
            // h2: its own mount namespace, where the second client is mounted at the first one's path
            h2.start("unshare", "-m", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" \"$1\" && shift "
                    + "&& exec \"$@\"", second.toString(), lab.mount().toString());
            FleetHost.waitFor("two firings of all four directories, the last two alike", 150, hosts,
                    s -> FleetHost.settled(s, NAMES.size(), 2));
            List<FleetHost.Sync> first = FleetHost.all(hosts);
            FleetHost.assertExclusive(first);
            List<Map<String, String>> complete = FleetHost.byFiring(first).values().stream()
                    .filter(f -> f.size() == NAMES.size()).toList();
            Map<String, String> owner = complete.get(complete.size() - 1);
            assertEquals(owner, complete.get(complete.size() - 2), "the same host, firing after firing");
            assertEquals(Map.of("h1", 2L, "h2", 2L), owner.values().stream().collect(Collectors.groupingBy(h -> h,
                    Collectors.counting())), "an even split: " + owner + "\n---- h2\n" + h2.said());
            assertTrue(h2.said().contains("cluster: this host is h2 in " + cluster), h2.said());

            Set<String> ofH2 = owner.entrySet().stream().filter(e -> e.getValue().equals("h2")).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            h2.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);   // kill -9: its locks go with its files
            Instant killed = Instant.now();
            for (String s : ofH2) {
                write(Path.of(s).resolve("event-1.dat"), "changed after h2 died");
            }
            FleetHost.waitFor("h2's directories synced by h1", 120, List.of(h1), s -> ofH2.stream().allMatch(src -> s
                    .stream().anyMatch(x -> x.source().equals(src) && x.status().equals("success")
                            && x.started().isAfter(killed))));
            FleetHost.assertExclusive(FleetHost.all(hosts));
            for (String src : ofH2) {
                Trees.assertSameTree(Path.of(src), h1.b.mirror(Path.of(src)));
                assertTrue(h1.said().contains("cluster: took over " + src + " from h2, which is gone"), h1.said());
            }
        } finally {
            for (FleetHost h : hosts) {
                h.stop();
            }
            lab.unmountSecond();
        }
    }
}
