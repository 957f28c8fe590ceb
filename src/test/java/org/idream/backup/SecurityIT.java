package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an attacker on the backup host, or a careless umask, could get from it. */
class SecurityIT {
    @TempDir
    Path tmp;

    @Test
    void nothingItCreatesIsWorldWritableAndLogsAreNotWorldReadableEvenUnderUmaskZero() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(0).resolve("sub/b.txt"), "b");
        Files.setPosixFilePermissions(b.source(0).resolve("a.txt"), Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE)); // private in the source
        b.config.put("backup.metrics-textfile", tmp.resolve("metrics.prom").toString());
        b.writeConfig();
        String run = Processes.LAUNCHER + " --once --config " + b.configFile;
        Processes.Done first = Processes.run(tmp, List.of("bash", "-c", "umask 000; exec " + run), 120);
        assertEquals(0, first.code(), first.output());
        write(b.source(0).resolve("a.txt"), "a, changed");
        Processes.Done second = Processes.run(tmp, List.of("bash", "-c", "umask 000; exec " + run), 120);
        assertEquals(0, second.code(), second.output());

        List<Path> created = new ArrayList<>();
        for (Path root : List.of(b.logDir, b.root.resolve("backup"), b.root.resolve("backup.lock.d"))) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> !Files.isSymbolicLink(p)).forEach(created::add);
            }
        }
        created.add(tmp.resolve("metrics.prom"));
        assertTrue(created.size() > 10, created.toString());
        for (Path p : created) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            assertFalse(perms.contains(PosixFilePermission.OTHERS_WRITE), "world-writable: " + p + " " + perms);
            if (p.startsWith(b.logDir) || p.startsWith(b.root.resolve("backup"))) {
                assertFalse(perms.contains(PosixFilePermission.OTHERS_READ) && Files.isRegularFile(p),
                        "world-readable: " + p + " " + perms);
            }
        }
    }

    @Test
    void rclonePasswordsAndTokensNeverReachTheLogsOrTheReports() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path conf = tmp.resolve("rclone.conf");
        // an sftp remote with an (obscured) password and an OAuth token, as rclone stores them
        Files.writeString(conf, "[offsite]\ntype = sftp\nhost = backup.example.org\nuser = backup\n"
                + "pass = OBSCURED-sftp-password-Zq7\n\n[drive]\ntype = drive\n"
                + "token = {\"access_token\":\"ya29.TOKEN-abc123\",\"refresh_token\":\"1//REFRESH-xyz\"}\n");
        b.writeConfig();
        Processes.Done done = Processes.run(tmp, List.of(Processes.LAUNCHER.toString(), "--once", "--config",
                b.configFile.toString()), 120, env -> {
                    env.put("RCLONE_CONFIG", conf.toString());
                    env.put("RCLONE_SFTP_PASS", "ENV-sftp-secret-9x");
                    env.put("RCLONE_CONFIG_PASS", "ENV-config-secret-4y");
                });
        assertEquals(0, done.code(), done.output());
        List<String> texts = new ArrayList<>(List.of(done.output()));
        for (Path p : b.logs()) {
            texts.add(Files.readString(p));
        }
        assertTrue(texts.stream().anyMatch(t -> t.contains("passed with --config")), "the config was used");
        for (String secret : List.of("OBSCURED-sftp-password-Zq7", "ya29.TOKEN-abc123", "1//REFRESH-xyz",
                "ENV-sftp-secret-9x", "ENV-config-secret-4y")) {
            for (String t : texts) {
                assertFalse(t.contains(secret), "a secret in the logs or reports: " + secret);
            }
        }
    }

    @Test
    void theDaemonsHttpAndRemoteJmxListenOnLoopbackOnly() throws Exception {
        InetAddress outside = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
        BackupFixture b = new BackupFixture(tmp, "data");
        int jmxPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            jmxPort = s.getLocalPort();
        }
        b.config.put("backup.jmx.remote-port", Integer.toString(jmxPort));
        try (InProcessDaemon daemon = new InProcessDaemon(b, new Properties())) {
            for (int port : new int[] {daemon.port, jmxPort}) {
                // bound before the application's MBean appears; a short grace for a slow machine all the same
                long deadline = System.currentTimeMillis() + 10_000;
                boolean listening;
                while (!(listening = connects(InetAddress.getLoopbackAddress(), port))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(listening, "listening on loopback :" + port);
                if (outside != null) {
                    assertFalse(connects(outside, port), "not listening on " + outside + ":" + port);
                }
            }
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
