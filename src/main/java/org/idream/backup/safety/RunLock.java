package org.idream.backup.safety;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * The run lock (SPEC §2 step 2): an OS lock on {@code backup.lock-file}, held for the whole run. An OS
 * lock dies with its process, so a {@code kill -9} leaves a file but no lock, and a stale file never
 * blocks the next run.
 *
 * <p>The file is removed on release, which is safe only if every holder checks, after locking, that
 * the path still names the file it locked (a run that locked a file another run had just removed
 * would otherwise think it holds the lock). The check compares the inode the path names before the
 * file is opened and after it is locked; holders only ever remove the file, so a path that named the
 * same inode before and after names the locked one. It is a stat, never a second open: closing any
 * descriptor of a file drops the process's POSIX locks on it. The file is opened without following
 * symbolic links, and written only once locked (who holds it, for the next run's message).
 */
public final class RunLock implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object inode;

    private RunLock(Path path, FileChannel channel, FileLock lock, Object inode) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.inode = inode;
    }

    /** Another process holds the lock; the message says who, as that process wrote it. */
    public static final class Held extends Exception {
        public Held(String holder) {
            super(holder);
        }
    }

    /**
     * Takes the lock or throws {@link Held} at once; never waits.
     *
     * @throws IOException the file cannot be opened (missing folder, a symbolic link, permissions)
     */
    /**
     * Whether a process holds the lock now, asked without taking it for longer than the question (nothing is
     * created or written): for {@code runs}, to tell a run going on from one that was killed.
     */
    public static boolean heldNow(Path path) {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static RunLock acquire(Path path) throws IOException, Held {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());     // a lock folder that is not there yet: made, like the logs'
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Object before = inode(path);
            FileChannel channel = FileChannel.open(path,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new Held(holder.isBlank() ? "(the holder wrote nothing yet)" : holder.strip());
            }
            Object after = inode(path);
            if (before != null && before.equals(after)) {
                String content = "pid " + ProcessHandle.current().pid() + " on " + host() + " since "
                        + ZonedDateTime.now() + "\n";
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(false);
                return new RunLock(path, channel, lock, after);
            }
            // the file was created just now (we cannot tell it is the one we locked) or replaced by the
            // previous holder's removal: look again
            lock.release();
            channel.close();
        }
        throw new IOException("the lock file " + path + " keeps being replaced while locking it");
    }

    /** The inode the path names (without following a link), or null when there is none. */
    private static Object inode(Path path) throws IOException {
        try {
            return Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static String host() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return name.contains("@") ? name.substring(name.indexOf('@') + 1) : "localhost";
    }

    public Path path() {
        return path;
    }

    /** Removes the file (only if the path still names it) while still holding the lock, then releases. */
    @Override
    public void close() throws IOException {
        try {
            if (inode.equals(inode(path))) {
                Files.delete(path);
            }
        } finally {
            lock.release();
            channel.close();
        }
    }
}
