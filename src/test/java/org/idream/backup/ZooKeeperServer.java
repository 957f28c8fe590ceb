package org.idream.backup;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ZooKeeper from Debian's package ({@code apt-get install zookeeper}: the server zookeeperd runs),
 * started on a loopback port with its data in a test folder; stopped and started again by the tests.
 */
final class ZooKeeperServer implements AutoCloseable {
    static final Path JAR = Path.of("/usr/share/java/zookeeper.jar");
    final int port;
    private final Path dir;
    private Process process;

    ZooKeeperServer(Path dir) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("ZooKeeper is not installed: apt-get install zookeeper (" + JAR + " is missing)");
        }
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
                "tickTime=2000", "dataDir=" + dir.resolve("data"), "clientPort=" + port, "clientPortAddress=127.0.0.1",
                "admin.enableServer=false", "4lw.commands.whitelist=ruok", "maxSessionTimeout=40000", ""));
    }

    String connect() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("java", "-cp", "/etc/zookeeper/conf:" + JAR,
                "org.apache.zookeeper.server.ZooKeeperServerMain", dir.resolve("zoo.cfg").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("zk.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(2000);       // a server still starting may take the connection and never answer
                s.getOutputStream().write("ruok".getBytes());
                if (new String(s.getInputStream().readAllBytes()).equals("imok")) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("ZooKeeper did not start: " + Files.readString(dir.resolve("zk.log")));
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
