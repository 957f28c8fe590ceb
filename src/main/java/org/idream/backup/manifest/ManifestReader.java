package org.idream.backup.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import org.idream.backup.model.Layout;
import org.idream.backup.process.Causes;
import org.idream.backup.rclone.RcloneListing;

/**
 * Reads a manifest: its header, and its entries; a delta's ({@link Delta}) as the whole state it stands for,
 * its base's entries that it does not drop, then its own.
 */
public final class ManifestReader {
    private ManifestReader() {
    }

    public static Manifest.Header header(Path manifest) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            Manifest.Header h = Manifest.header(r.readLine());
            if (h == null) {
                throw new IOException(manifest + " has no header");
            }
            return h;
        }
    }

    /** Every entry of the state the manifest records, to {@code each} (a delta's base's first). */
    public static void read(Path manifest, Consumer<ManifestEntry> each) throws IOException {
        Manifest.Header h = header(manifest);
        if (!h.delta()) {
            records(manifest, each);
            return;
        }
        Delta delta = delta(manifest, h);
        Path base = base(manifest, h);
        if (base == null) {
            throw new NoSuchFileException(manifest + ": its base, the manifest of run " + h.base() + ", is gone");
        }
        if (header(base).delta()) {
            throw new IOException(manifest + ": its base " + base + " is a delta itself");
        }
        records(base, e -> {
            if (!delta.drops(e)) {
                each.accept(e);
            }
        });
        delta.entries(each);
    }

    /** What a delta holds (nothing for a whole manifest: nothing changed since itself); its entries stay in the file. */
    public static Delta delta(Path manifest) throws IOException {
        return delta(manifest, header(manifest));
    }

    private static Delta delta(Path manifest, Manifest.Header h) throws IOException {
        if (!h.delta()) {
            return new Delta(null);
        }
        Delta delta = new Delta(manifest);
        records(manifest, delta::add);
        return delta;
    }

    /**
     * The file of a delta's base: the manifest of run {@code h.base()} beside it, or where retention keeps it
     * once that run's folder is gone ({@link Layout#keptBase}); null when neither is there.
     */
    public static Path base(Path manifest, Manifest.Header h) {
        Path deletedRoot = manifest.toAbsolutePath().getParent();
        for (int i = Path.of(h.run()).getNameCount(); i > 0 && deletedRoot != null; i--) {
            deletedRoot = deletedRoot.getParent();
        }
        if (deletedRoot == null) {
            return null;
        }
        Path source = Path.of(h.source());
        for (Path file : List.of(Layout.manifestFile(deletedRoot.resolve(h.base()), source),
                Layout.keptBase(deletedRoot, h.base(), source))) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return file;
            }
        }
        return null;
    }

    /**
     * The records of the file itself, in the order written, to {@code each} on the calling thread. A large file's
     * text is decompressed and split into fields on a thread of its own, a batch of records at a time, while
     * this one makes and hands on the entries (a million entries: some 4 s on one thread); a failure of either
     * is thrown here, and one of {@code each} stops the other thread.
     */
    static void records(Path manifest, Consumer<ManifestEntry> each) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            Manifest.Header h = Manifest.header(r.readLine());
            if (h == null) {
                throw new IOException(manifest + " has no header");
            }
            if (Files.size(manifest) < PIPELINED) {
                RcloneListing.parseCsv(r, f -> each.accept(Manifest.entry(f, h.version())));
                return;
            }
            Pipeline split = new Pipeline(manifest, r);
            split.start();
            try {
                for (List<List<String>> batch; (batch = split.next()) != Pipeline.END; ) {
                    for (List<String> f : batch) {
                        each.accept(Manifest.entry(f, h.version()));
                    }
                }
            } finally {
                split.finish();
            }
        }
    }

    /** From this size (compressed), a file's records are split into fields on a thread of their own. */
    private static final long PIPELINED = 256 * 1024;

    /** The thread that splits a manifest's text into records, and the batches it hands on (in their order). */
    private static final class Pipeline extends Thread {
        static final List<List<String>> END = new ArrayList<>();
        private static final int BATCH = 2048;
        private final Path manifest;
        private final BufferedReader text;
        private final BlockingQueue<List<List<String>>> batches = new ArrayBlockingQueue<>(8);
        private volatile boolean stopped;
        private volatile Throwable failure;
        private List<List<String>> batch = new ArrayList<>(BATCH);

        Pipeline(Path manifest, BufferedReader text) {
            super("manifest-read");
            setDaemon(true);
            this.manifest = manifest;
            this.text = text;
        }

        @Override
        public void run() {
            try {
                RcloneListing.parseCsv(text, f -> {
                    batch.add(f);
                    if (batch.size() == BATCH) {
                        hand(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                });
                hand(batch);
            } catch (Stopped e) {
                return;
            } catch (Throwable t) {
                failure = t;
            }
            try {
                hand(END);
            } catch (Stopped e) {
                // the reader has gone
            }
        }

        private void hand(List<List<String>> b) {
            try {
                while (!batches.offer(b, 100, TimeUnit.MILLISECONDS)) {
                    if (stopped) {
                        throw new Stopped();
                    }
                }
            } catch (InterruptedException e) {
                throw new Stopped();
            }
        }

        /** The next batch of records, or {@link #END}; the splitting's failure thrown as it was (an I/O one as such). */
        List<List<String>> next() throws IOException {
            List<List<String>> b;
            try {
                b = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + manifest);
            }
            if (b == END && failure != null) {
                throw Causes.io(failure, manifest.toString());
            }
            return b;
        }

        /** Done with it, read to the end or not: the thread ends (before the text is closed). */
        void finish() throws InterruptedIOException {
            stopped = true;
            interrupt();
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + manifest);
            }
        }

        private static final class Stopped extends RuntimeException {
            Stopped() {
                super(null, null, false, false);
            }
        }
    }

    public static List<ManifestEntry> entries(Path manifest) throws IOException {
        List<ManifestEntry> all = new ArrayList<>();
        read(manifest, all::add);
        return all;
    }

    private static BufferedReader reader(Path manifest) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(manifest,
                LinkOption.NOFOLLOW_LINKS)), RcloneListing.BYTES));
    }
}
