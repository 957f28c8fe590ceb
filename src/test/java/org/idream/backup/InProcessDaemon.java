package org.idream.backup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.idream.backup.observe.BackupControl;
import org.idream.backup.safety.Interruption;

/** The daemon (bin/backup without --once) in this JVM: its HTTP port, its MBeans, stopped by a signal. */
final class InProcessDaemon implements AutoCloseable {
    static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    final int port;
    private final Interruption interruption = new Interruption();
    private final Thread thread;
    private volatile int exitCode = -1;
    private final HttpClient http = HttpClient.newHttpClient();

    InProcessDaemon(BackupFixture b, Properties system) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        b.config.put("camel.management.port", Integer.toString(port));
        b.config.putIfAbsent("backup.schedule", "0 0 3 1 1 ? 2099");
        b.writeConfig();
        thread = new Thread(() -> exitCode = BackupMain.run(new String[] {"--config", b.configFile.toString()},
                Map.of(), system, interruption), "daemon");
        thread.start();
        await("the daemon's MBean", () -> JMX.isRegistered(name()));
    }

    static ObjectName name() {
        try {
            return new ObjectName(BackupControl.NAME);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Object attribute(String attribute) throws Exception {
        return JMX.getAttribute(name(), attribute);
    }

    String runNow() throws Exception {
        return (String) JMX.invoke(name(), "runNow", null, null);
    }

    /** Starts a run over JMX and waits for its end; returns the outcome. */
    String runAndWait() throws Exception {
        String before = (String) attribute("LastEnd");
        assertStarted(runNow());
        await("the run's end", () -> {
            try {
                return !attribute("LastEnd").equals(before) && !(Boolean) attribute("Running");
            } catch (Exception e) {
                return false;
            }
        });
        return (String) attribute("LastOutcome");
    }

    static void assertStarted(String answer) {
        if (!answer.equals("started")) {
            throw new AssertionError("runNow said: " + answer);
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        interruption.signal("TERM");
        thread.join(60_000);
        if (thread.isAlive() || exitCode != 143) {
            throw new AssertionError("the daemon did not stop on SIGTERM (exit " + exitCode + ")");
        }
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
