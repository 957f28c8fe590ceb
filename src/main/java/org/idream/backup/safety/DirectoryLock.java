package org.idream.backup.safety;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock of one mirror while an rclone writes to it (SPEC §2 step 2, beyond the seed). rclone is
 * started as {@code flock --nonblock --no-fork LOCK rclone ...}: flock takes the lock and becomes
 * rclone, so the lock lives exactly as long as that rclone, also after a {@code kill -9} of this JVM.
 * The next run's flock then fails with {@value #BUSY} instead of letting two rclones write to one
 * mirror.
 */
public final class DirectoryLock {
    /** flock's exit code when the lock is held: outside rclone's own codes (0–9). */
    public static final int BUSY = 75;

    private DirectoryLock() {
    }

    /** The folder of the directory locks: {@code <lock-file>.d}. */
    public static Path folder(Path runLock) {
        return runLock.resolveSibling(runLock.getFileName() + ".d");
    }

    /** {@code <lock-file>.d/<source path, readable>-<hash>.lock}. */
    public static Path of(Path runLock, Path source) {
        return folder(runLock).resolve(fileName(source) + ".lock");
    }

    /** A file name for a path: readable, and unique by a hash of the whole path. */
    public static String fileName(Path path) {
        String readable = path.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 120) {
            readable = readable.substring(readable.length() - 120);
        }
        return readable + "-" + Integer.toHexString(java.util.Arrays.hashCode(path.toString().getBytes(
                StandardCharsets.UTF_8)));
    }

    /** The command that runs {@code rclone} holding {@code lock}. */
    public static List<String> wrap(Path lock, String rcloneBinary, List<String> rcloneArgs) {
        List<String> argv = new ArrayList<>(List.of("--nonblock", "--conflict-exit-code", Integer.toString(BUSY),
                "--no-fork", lock.toString(), rcloneBinary));
        argv.addAll(rcloneArgs);
        return argv;
    }

    /** An rclone still writing to {@code mirror}, started by an earlier run (its pid), if any. */
    public static Optional<Long> writer(Path mirror) {
        String target = mirror.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(target) && List.of(a).contains("sync"))
                        .orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }
}
