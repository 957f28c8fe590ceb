package org.idream.backup.restore;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.idream.backup.model.Clocks;
import org.idream.backup.rclone.RcloneListing;

/**
 * The state of one mirror after one run: every file's path, size and modification time (and a
 * symbolic link's target), as rclone listed it for the validation. Gzipped CSV, one record per file
 * ({@code size,path,modtime[,link target]}), after a JSON header line starting with {@code #}. Kept
 * beside the run's folder of the deleted area ({@link org.idream.backup.model.Layout#manifestFile}), so
 * that retention removes it with the run's displaced files. It is recorded into a work file while the
 * mirror's listing streams by; the route then moves it into place (camel-file, atomically).
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    /**
     * One file of a mirror, its path (and link target) in the listing's form: one char per byte
     * ({@link RcloneListing#javaPath} makes a Java path of it). {@code linkTarget} is null for a file.
     */
    public record Entry(long size, String path, String modTime, String linkTarget) {
        public boolean link() {
            return linkTarget != null;
        }

        /** The name in the file system: a link is listed by rclone as {@code NAME.rclonelink}. */
        public String fileSystemPath() {
            return link() ? path.substring(0, path.length() - RcloneListing.LINK_SUFFIX.length()) : path;
        }
    }

    /** The header: whose mirror, which run, when it was listed. */
    public record Header(String source, String run, OffsetDateTime written) {
    }

    private Manifest() {
    }

    /**
     * Records a manifest into a work file as the mirror's listing streams by. {@link #finish} closes it
     * and hands back the work file; {@link #close} before that removes it (a listing that failed).
     */
    public static final class Recorder implements Closeable, Consumer<String[]> {
        private final Path work;
        private final Path mirror;
        private final java.io.Writer out;
        private boolean finished;

        /** @param work the work file, removed first if a killed run left it */
        public Recorder(Path work, Path source, String run, Path mirror) throws IOException {
            this.work = work;
            this.mirror = mirror;
            Files.createDirectories(work.getParent());
            Files.deleteIfExists(work);
            Files.createFile(work, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")));
            // paths are in the listing's form, one char per byte: written back byte for byte
            this.out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(work)),
                    RcloneListing.BYTES));
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("version", 1);
            header.put("source", source.toString());
            header.put("run", run);
            header.put("written", OffsetDateTime.now(Clocks.clock()).toString());
            out.write("#" + JSON.writeValueAsString(header) + "\n");
        }

        /** One listing record: size, path, modification time. */
        @Override
        public void accept(String[] record) {
            try {
                String path = record[1];
                String target = null;
                // only a link needs its name decoded (to read its target): not every file of the mirror
                String javaPath = path.endsWith(RcloneListing.LINK_SUFFIX) ? RcloneListing.javaPath(path) : null;
                if (javaPath != null) {
                    Path link = mirror.resolve(javaPath.substring(0, javaPath.length()
                            - RcloneListing.LINK_SUFFIX.length()));
                    if (Files.isSymbolicLink(link)) {
                        target = RcloneListing.listed(Files.readSymbolicLink(link).toString());
                    }
                }
                out.write(csv(record[0]) + "," + csv(path) + "," + csv(record[2])
                        + (target == null ? "" : "," + csv(target)) + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** One entry, already in the listing's form (a link with its target). */
        public void write(long size, String listedPath, String modTime, String listedLinkTarget) {
            try {
                out.write(size + "," + csv(listedPath) + "," + csv(modTime)
                        + (listedLinkTarget == null ? "" : "," + csv(listedLinkTarget)) + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
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

    private static String csv(String field) {
        if (field.isEmpty() || field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    public static Header header(Path manifest) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            String first = r.readLine();
            if (first == null || !first.startsWith("#")) {
                throw new IOException(manifest + " has no header");
            }
            var node = JSON.readTree(first.substring(1));
            return new Header(node.get("source").asText(), node.get("run").asText(),
                    OffsetDateTime.parse(node.get("written").asText()));
        }
    }

    /** Every entry, in listing order, to {@code each}. */
    public static void read(Path manifest, Consumer<Entry> each) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            r.readLine();
            RcloneListing.parseCsv(r, fields -> each.accept(new Entry(Long.parseLong(fields.get(0)), fields.get(1),
                    fields.get(2), fields.size() > 3 ? fields.get(3) : null)));
        }
    }

    public static List<Entry> entries(Path manifest) throws IOException {
        List<Entry> all = new ArrayList<>();
        read(manifest, all::add);
        return all;
    }

    private static BufferedReader reader(Path manifest) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(manifest,
                LinkOption.NOFOLLOW_LINKS)), RcloneListing.BYTES));
    }
}
