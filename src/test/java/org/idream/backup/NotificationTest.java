package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pings on start, success and failure reach a real HTTP receiver on loopback, with the reason. */
class NotificationTest {
    @TempDir
    Path tmp;
    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n" + body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private String ping(String path) throws InterruptedException {
        InProcessDaemon.await("a ping to " + path, () -> received.stream().anyMatch(r -> r.startsWith("POST " + path)));
        return received.stream().filter(r -> r.startsWith("POST " + path)).findFirst().orElseThrow();
    }

    @Test
    void startSuccessAndFailurePings() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data", "data3");
        write(b.source(0).resolve("a.txt"), "a");
        write(b.source(1).resolve("b.txt"), "b");
        b.config.put("backup.notify.url-start", url("/ping/uuid/start"));
        b.config.put("backup.notify.url-success", url("/ping/uuid"));
        b.config.put("backup.notify.url-failure", url("/ping/uuid/fail"));

        b.run().expect(0);
        assertTrue(ping("/ping/uuid/start").contains("backup run started"));
        String success = ping("/ping/uuid\n");
        assertTrue(success.contains("backup run success (exit 0)"), success);
        assertEquals(2, received.size(), received.toString());

        received.clear();
        b.faultyRclone("MATCH=data3\nFAILURES=-1\nEXIT=7\n");
        BackupFixture.Run failed = b.run().expect(1);
        String failure = ping("/ping/uuid/fail");
        assertTrue(failure.contains("backup run failed (exit 1): 1 of 2 directories failed"), failure);
        assertTrue(failure.contains(b.source(1) + ": failed - rclone exit 7"), failure);
        assertTrue(failure.contains("log: " + failed.logFile()), failure);
    }

    @Test
    void aPingThatFailsIsAWarningNeverAFailedBackup() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        receiver.stop(0);
        b.config.put("backup.notify.url-success", url("/gone"));
        BackupFixture.Run run = b.run().expect(0);
        assertTrue(run.log().contains("[WARNING] notification to " + url("/gone") + " failed")
                || run.log().contains("notification to " + url("/gone") + " failed"), run.log());
    }

    @Test
    void aRunThatCannotStartOrStopsOnAPreconditionIsReportedLikeAnyOther() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        write(b.source(0).resolve("a.txt"), "a");
        Path prom = tmp.resolve("textfile/ceph_backup.prom");
        java.nio.file.Files.createDirectories(prom.getParent());
        b.config.put("backup.notify.url-failure", url("/ping/fail"));
        b.config.put("backup.metrics-textfile", prom.toString());

        b.config.put("backup.parallelism", "lots");             // exit 2, before anything else
        b.run().expect(2);
        String failure = ping("/ping/fail");
        assertTrue(failure.contains("backup run configuration error (exit 2): backup.parallelism = 'lots'"), failure);
        assertTrue(failure.contains("host: " + java.net.InetAddress.getLocalHost().getHostName()), failure);
        java.util.Map<String, Double> m = ObservabilityTest.parse(java.nio.file.Files.readString(prom));
        assertEquals(2.0, m.get("backup_last_run_exit_code"));
        assertEquals(0.0, m.get("backup_last_run_success"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(prom)), "node_exporter, its own user, can read it");

        received.clear();
        b.config.put("backup.parallelism", "1");
        b.config.put("backup.require-mounted-destination", "true");   // exit 4: the backup disk is not mounted
        b.run().expect(4);
        assertTrue(ping("/ping/fail").contains("(exit 4)"));
        m = ObservabilityTest.parse(java.nio.file.Files.readString(prom));
        assertEquals(4.0, m.get("backup_last_run_exit_code"));
    }
}
