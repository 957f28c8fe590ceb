package org.idream.backup;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real CephFS of the integration tests (src/test/cephlab/cephlab.sh): one single-node cluster on
 * loopback, mounted with ceph-fuse, and an sshd for `ceph status` over ssh, started once for the
 * whole test run and torn down, by the pids it started, when the run ends.
 *
 * <p>Needs root. Without root the Ceph tests are skipped, unless {@code CEPHLAB=required} (as in
 * .ci/run), where a lab that cannot start fails them.
 */
final class CephLab implements BeforeAllCallback {
    static final Path SCRIPT = Path.of("src/test/cephlab/cephlab.sh").toAbsolutePath();
    private static volatile Lab lab;

    /** The started lab: its folder, mount point, fstab and the status command over ssh. */
    record Lab(Path dir, Path mount, Path fstab, String statusCommand) implements AutoCloseable,
            ExtensionContext.Store.CloseableResource {
        Path conf() {
            return dir.resolve("ceph.conf");
        }

        /** Runs the ceph CLI against the lab; returns its output. */
        String ceph(String... args) throws IOException, InterruptedException {
            List<String> argv = new java.util.ArrayList<>(List.of("ceph", "-c", conf().toString()));
            argv.addAll(List.of(args));
            return run(argv, 60);
        }

        /** Mounts the CephFS again if a test left it unmounted. */
        void ensureMounted() throws IOException, InterruptedException {
            if (!mounted()) {
                run(List.of("mount", "-T", fstab.toString(), mount.toString()), 60);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (!mounted() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
        }

        boolean mounted() throws IOException, InterruptedException {
            return new ProcessBuilder("mountpoint", "-q", mount.toString()).start().waitFor() == 0;
        }

        void unmount() throws IOException, InterruptedException {
            run(List.of("umount", mount.toString()), 60);
        }

        /**
         * A second client of the same file system whose clock runs {@code behind} (Debian's faketime; only the
         * wall clock is shifted, and ceph-fuse stays in the foreground: its timers hang otherwise).
         */
        Path mountSkewed(java.time.Duration behind) throws IOException, InterruptedException {
            return mountClient("skewed", List.of("faketime", "-f", "-" + behind.toSeconds() + "s"));
        }

        /** A second client of the same file system (another host's ceph-fuse), at {@code DIR-second}. */
        Path mountSecond() throws IOException, InterruptedException {
            return mountClient("second", List.of());
        }

        /** Another ceph-fuse of the lab's file system at {@code DIR-name}, started through {@code wrapper}. */
        private Path mountClient(String name, List<String> wrapper) throws IOException, InterruptedException {
            Path at = Path.of(dir + "-" + name);
            Files.createDirectories(at);
            if (mounted(at)) {
                return at;
            }
            List<String> command = new java.util.ArrayList<>(List.of("setsid"));
            command.addAll(wrapper);
            command.addAll(List.of("ceph-fuse", "-f", "-c", conf().toString(), "--client-mountpoint=/", at.toString()));
            Path log = dir.resolve("log/" + name + "-client.out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            pb.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!mounted(at)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the " + name + " client did not mount " + at + ": see " + log);
                }
                Thread.sleep(200);
            }
            return at;
        }

        void unmountSecond() throws IOException, InterruptedException {
            unmountClient("second");
        }

        void unmountSkewed() throws IOException, InterruptedException {
            unmountClient("skewed");
        }

        private void unmountClient(String name) throws IOException, InterruptedException {
            Path at = Path.of(dir + "-" + name);
            if (Files.isDirectory(at) && mounted(at)) {
                run(List.of("umount", at.toString()), 60);
            }
        }

        private static boolean mounted(Path at) throws IOException, InterruptedException {
            return new ProcessBuilder("mountpoint", "-q", at.toString()).start().waitFor() == 0;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run(List.of(SCRIPT.toString(), "down", dir.toString()), 180);
        }
    }

    static Lab lab() {
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean required = "required".equals(System.getenv("CEPHLAB"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!required) {
            Assumptions.assumeTrue(root, "the CephFS lab needs root (set CEPHLAB=required to make this a failure)");
        }
        lab = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Lab.class, k -> start(), Lab.class);
    }

    private static Lab start() {
        try {
            Path dir = Files.createTempDirectory("ceph-backup-lab-");
            Path mount = Path.of(dir + "-mnt");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            run(List.of(SCRIPT.toString(), "up", dir.toString(), mount.toString()), 900);
            run(List.of(SCRIPT.toString(), "sshd", dir.toString(), Integer.toString(port)), 120);
            return new Lab(dir, mount, dir.resolve("fstab"), Files.readString(dir.resolve("status-command")).strip());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the CephFS lab did not start: " + e.getMessage(), e);
        }
    }

    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cephlab", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command + "\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + command + "\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
