package org.idream.backup.manifest;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
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
 * The state of one mirror after one run: every file's, link's and folder's path, size and modification
 * time, a link's target, and (version 2) each one's owner, group and mode as the source had them. Gzipped
 * CSV, one record per entry, after a JSON header line starting with {@code #}:
 * <pre>
 * version 2: size,path,modtime,kind,uid,gid,mode,user,group,link target
 *            kind f (file), l (link: path NAME.rclonelink, as rclone lists it), d (folder: path ending in /);
 *            modtime in nanoseconds since the epoch; mode in octal; user and group names where they resolved
 * version 1: size,path,modtime[,link target]   (files and links only, modtime as rclone lsf prints it)
 * </pre>
 * Kept beside the run's folder of the deleted area ({@link org.idream.backup.model.Layout#manifestFile}),
 * so that retention removes it with the run's displaced files. It is recorded into a work file while a
 * tree is walked or listed; the route then moves it into place (camel-file, atomically).
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    /** The version this product writes. */
    public static final int VERSION = 2;

    /**
     * One entry of a mirror, its path (and link target) in the listing's form: one char per byte
     * ({@link RcloneListing#javaPath} makes a Java path of it). A version 1 entry has no kind
     * ({@code 0}: a file, or a link when it has a target) and no owner, group or mode.
     */
    public record Entry(long size, String path, String modTime, String linkTarget, char kind, Integer uid, Integer gid,
            Integer mode, String user, String group) {

        /** A version 1 entry: a file or a link, nothing more known. */
        public Entry(long size, String path, String modTime, String linkTarget) {
            this(size, path, modTime, linkTarget, '0', null, null, null, null, null);
        }

        public boolean link() {
            return linkTarget != null;
        }

        public boolean directory() {
            return kind == 'd';
        }

        /** Owner, group and mode are known (version 2). */
        public boolean hasOwnership() {
            return uid != null;
        }

        /** The name in the file system: a link is listed by rclone as {@code NAME.rclonelink}, a folder ends in /. */
        public String fileSystemPath() {
            if (directory()) {
                return path.substring(0, path.length() - 1);
            }
            return link() ? path.substring(0, path.length() - RcloneListing.LINK_SUFFIX.length()) : path;
        }

        /** The folder it is in, in the listing's form ("" for the top). */
        public String parent() {
            String p = directory() ? path.substring(0, path.length() - 1) : path;
            int slash = p.lastIndexOf('/');
            return slash < 0 ? "" : p.substring(0, slash);
        }

        /** The modification time, when this entry has it to the nanosecond (version 2). */
        public java.nio.file.attribute.FileTime fileTime() {
            if (kind == '0') {
                return null;
            }
            long nanos = Long.parseLong(modTime);
            return java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(Math.floorDiv(nanos,
                    1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
        }
    }

    /** The header: whose mirror, which run, when it was listed, in which version. */
    public record Header(String source, String run, OffsetDateTime written, int version) {
    }

    private Manifest() {
    }

    /**
     * Records a manifest into a work file as a tree is walked or listed. {@link #finish} closes it and hands
     * back the work file; {@link #close} before that removes it (a walk that failed).
     */
    public static final class Recorder implements Closeable, Consumer<String[]> {
        private final Path work;
        private final Path mirror;
        private final java.io.Writer out;
        private boolean finished;

        /**
         * @param work    the work file, removed first if a killed run left it
         * @param version {@value #VERSION}, or 1 for a manifest from rclone's listing of the mirror
         */
        public Recorder(Path work, Path source, String run, Path mirror, int version) throws IOException {
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
            header.put("version", version);
            header.put("source", source.toString());
            header.put("run", run);
            header.put("written", OffsetDateTime.now(Clocks.clock()).toString());
            out.write("#" + JSON.writeValueAsString(header) + "\n");
        }

        /** One record of rclone's listing of the mirror (size, path, modification time): version 1. */
        @Override
        public void accept(String[] record) {
            String path = record[1];
            String target = null;
            // only a link needs its name decoded (to read its target): not every file of the mirror
            String javaPath = path.endsWith(RcloneListing.LINK_SUFFIX) ? RcloneListing.javaPath(path) : null;
            try {
                if (javaPath != null) {
                    Path link = mirror.resolve(javaPath.substring(0, javaPath.length()
                            - RcloneListing.LINK_SUFFIX.length()));
                    if (Files.isSymbolicLink(link)) {
                        target = RcloneListing.listed(Files.readSymbolicLink(link).toString());
                    }
                }
                write(new Entry(Long.parseLong(record[0]), path, record[2], target));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** One entry, already in the listing's form. */
        public void write(Entry e) {
            try {
                StringBuilder line = new StringBuilder().append(e.size()).append(',').append(csv(e.path())).append(',')
                        .append(csv(e.modTime()));
                if (e.kind() == '0') {
                    if (e.link()) {
                        line.append(',').append(csv(e.linkTarget()));
                    }
                } else {
                    line.append(',').append(e.kind()).append(',').append(nullable(e.uid())).append(',')
                            .append(nullable(e.gid())).append(',')
                            .append(e.mode() == null ? "" : Integer.toOctalString(e.mode())).append(',')
                            .append(csv(e.user() == null ? "" : e.user())).append(',')
                            .append(csv(e.group() == null ? "" : e.group())).append(',')
                            .append(csv(e.linkTarget() == null ? "" : e.linkTarget()));
                }
                out.write(line.append('\n').toString());
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
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

    private static String nullable(Integer i) {
        return i == null ? "" : i.toString();
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
                    OffsetDateTime.parse(node.get("written").asText()), node.path("version").asInt(1));
        }
    }

    /** Every entry, in the order written, to {@code each}. */
    public static void read(Path manifest, Consumer<Entry> each) throws IOException {
        int version = header(manifest).version();
        try (BufferedReader r = reader(manifest)) {
            r.readLine();
            RcloneListing.parseCsv(r, f -> each.accept(version >= 2 ? new Entry(Long.parseLong(f.get(0)), f.get(1),
                    f.get(2), f.get(3).equals("l") ? f.get(9) : null, f.get(3).charAt(0), integer(f.get(4), 10),
                    integer(f.get(5), 10), integer(f.get(6), 8), empty(f.get(7)), empty(f.get(8)))
                    : new Entry(Long.parseLong(f.get(0)), f.get(1), f.get(2), f.size() > 3 ? f.get(3) : null)));
        }
    }

    private static Integer integer(String s, int radix) {
        return s.isEmpty() ? null : Integer.parseInt(s, radix);
    }

    private static String empty(String s) {
        return s.isEmpty() ? null : s;
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
