package org.idream.backup.fleet;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.camel.impl.DefaultCamelContext;
import org.idream.backup.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fleet of 10, 100 and 1 000 directories costs a host: the time to hold every lease, the threads
 * and heap that takes, and the time for a second host to receive its half. Not a test (no assertion on
 * time): `bench/fleet.sh` runs it and prints the figures for docs/BENCHMARKS.md. ZooKeeper: Debian's, on
 * loopback; file: a lock directory on this machine's disk (FLEET_LOCKS to put it elsewhere, e.g. on CephFS).
 */
class FleetScaleBench {
    @TempDir
    Path tmp;

    static Settings settings(Path tmp, int n, String cluster, String node) throws Exception {
        Properties p = new Properties();
        p.setProperty("backup.sources", IntStream.range(0, n).mapToObj(i -> "/ceph/exp/run-" + i)
                .collect(Collectors.joining(",")));
        p.setProperty("backup.main-root", tmp.resolve(node + "/main").toString());
        p.setProperty("backup.deleted-root", tmp.resolve(node + "/deleted").toString());
        p.setProperty("backup.log-dir", tmp.resolve(node + "/logs").toString());
        p.setProperty("backup.lock-file", tmp.resolve(node + "/lock").toString());
        p.setProperty("backup.cluster", cluster);
        p.setProperty("backup.cluster.node-id", node);
        p.setProperty("backup.cluster.failover-after", "1d");
        p.setProperty("ceph.mount-point", "");
        return Settings.load(Path.of("config/application.properties"), null, Map.of(), p);
    }

    static int holds(Fleet f) {
        return f.health().map(h -> h.holds().size()).orElse(0);
    }

    static long waitHolds(Fleet f, int n) throws InterruptedException {
        Balancer balancer = new Balancer(f);
        long t0 = System.nanoTime();
        while (holds(f) < n) {
            if (System.nanoTime() - t0 > 600_000_000_000L) {
                throw new AssertionError("only " + holds(f) + " of " + n + " after 600 s");
            }
            balancer.balanceIdle();
            Thread.sleep(100);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    void measure(String engine, String cluster) throws Exception {
        for (int n : new int[] {10, 100, 1000}) {
            DefaultCamelContext c1 = new DefaultCamelContext();
            DefaultCamelContext c2 = new DefaultCamelContext();
            c1.start();
            c2.start();
            int threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
            Fleet a = new Fleet(settings(tmp, n, cluster, "a" + n));
            a.bind(c1);
            long t0 = System.nanoTime();
            a.joinNow();
            long joined = (System.nanoTime() - t0) / 1_000_000;
            long all = waitHolds(a, n);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threads0;
            Fleet b = new Fleet(settings(tmp, n, cluster, "b" + n));
            b.bind(c2);
            b.joinNow();
            long t1 = System.nanoTime();
            long half = 0;
            Balancer ba = new Balancer(a);
            Balancer bb = new Balancer(b);
            while (holds(b) < n / 2 - n / 20 || holds(a) + holds(b) < n) {   // about half, and every lease held
                ba.balanceIdle();
                bb.balanceIdle();
                Thread.sleep(100);
                half = (System.nanoTime() - t1) / 1_000_000;
                if (half > 600_000) {
                    break;
                }
            }
            System.out.printf("fleet-scale %s dirs=%d join_ms=%d hold_all_ms=%d threads=%d heap_mb=%d handover_ms=%d "
                    + "split=%d/%d%n", engine, n, joined, all, threads, heap, half, holds(a), holds(b));
            a.leave();
            b.leave();
            c1.stop();
            c2.stop();
        }
    }

    @Test
    void zookeeper() throws Exception {
        Path zkDir = tmp.resolve("zk");
        Files.createDirectories(zkDir.resolve("data"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(zkDir.resolve("zoo.cfg"), "tickTime=2000\ndataDir=" + zkDir.resolve("data") + "\nclientPort="
                + port + "\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\nmaxClientCnxns=0\n");
        Process zk = new ProcessBuilder(List.of("java", "-cp", "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar",
                "org.apache.zookeeper.server.ZooKeeperServerMain", zkDir.resolve("zoo.cfg").toString()))
                .redirectErrorStream(true).redirectOutput(zkDir.resolve("zk.log").toFile()).start();
        try {
            Thread.sleep(3000);
            measure("zookeeper", "zookeeper:127.0.0.1:" + port);
        } finally {
            zk.destroy();
            zk.waitFor();
        }
    }

    @Test
    void file() throws Exception {
        Path locks = System.getenv("FLEET_LOCKS") == null ? tmp.resolve("locks")
                : Files.createTempDirectory(Path.of(System.getenv("FLEET_LOCKS")), "fleet-scale-");
        Files.createDirectories(locks);
        measure("file", "file:" + locks);
    }
}
