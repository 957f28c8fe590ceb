package org.idream.backup.manifest;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.idream.backup.model.Clocks;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneListing;

/**
 * Records a manifest into a work file as a tree is walked or listed (the route then moves it into place,
 * atomically). {@link #finish} closes it and hands back the work file; {@link #close} before that removes
 * it (a walk that failed). As a {@code Consumer<String[]>} it takes the records of rclone's listing of the
 * mirror (size, path, modification time): a version {@value Manifest#LISTING_VERSION} manifest.
 */
public final class ManifestWriter implements Closeable, Consumer<String[]> {
    private final Path work;
    private final Path mirror;
    private final Writer out;
    private boolean finished;

    /**
     * @param work    the work file, removed first if a killed run left it
     * @param started when the run started: its restore point begins there
     * @param version {@value Manifest#VERSION}, or {@value Manifest#LISTING_VERSION} for a manifest from
     *                rclone's listing of the mirror
     */
    public ManifestWriter(Path work, Path source, String run, OffsetDateTime started, Path mirror, int version)
            throws IOException {
        this(work, source, run, started, mirror, version, null);
    }

    /** @param base for a delta ({@link Delta}), the run whose (whole) manifest it is based on; else null */
    public ManifestWriter(Path work, Path source, String run, OffsetDateTime started, Path mirror, int version,
            String base) throws IOException {
        this.work = work;
        this.mirror = mirror;
        OutputStream file = create(work, source, run, started, version, base);
        // paths are in the listing's form, one char per byte: written back byte for byte
        this.out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(file, 1 << 16), RcloneListing.BYTES),
                1 << 16);
    }

    /**
     * The work file, made anew, with the header as a gzip member of its own (the entries follow in a second one;
     * gzip readers read both as one).
     */
    private static OutputStream create(Path work, Path source, String run, OffsetDateTime started, int version,
            String base) throws IOException {
        Files.createDirectories(work.getParent());
        Files.deleteIfExists(work);
        Files.createFile(work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(work), 1 << 16);
        GZIPOutputStream header = new GZIPOutputStream(file);
        header.write((Manifest.headerLine(new Manifest.Header(source.toString(), run, OffsetDateTime.now(Clocks.clock()),
                version, started, base)) + "\n").getBytes(RcloneListing.BYTES));
        header.finish();
        return file;
    }

    /** One record of rclone's listing of the mirror (size, path, modification time). */
    @Override
    public void accept(String[] record) {
        String path = record[1];
        String target = null;
        try {
            if (path.endsWith(RcloneListing.LINK_SUFFIX)) {
                Path link = Names.resolveListed(mirror, path.substring(0, path.length()
                        - RcloneListing.LINK_SUFFIX.length()));
                if (Files.isSymbolicLink(link)) {
                    target = Names.readLink(link);
                }
            }
            write(new ManifestEntry(Long.parseLong(record[0]), path, record[2], target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry, already in the listing's form. */
    public void write(ManifestEntry e) {
        try {
            out.write(Manifest.line(e));
            out.write('\n');
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The manifest is complete: the work file, closed, to be moved into place. */
    public Path finish() throws IOException {
        out.close();
        finished = true;
        return work;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (!finished) {
            Files.deleteIfExists(work);
        }
    }
}
