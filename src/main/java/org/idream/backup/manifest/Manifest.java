package org.idream.backup.manifest;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The format of a manifest: the state of one mirror after one run, every file's, link's and folder's
 * path, size and modification time, a link's target, and (version 2) each one's owner, group and mode as
 * the source had them. Gzipped CSV, one record per entry, after a JSON header line starting with {@code #}
 * (written as two gzip members, the header line and the records; any gzip reader reads them as one). A
 * guided night writes a delta ({@link Delta}: a {@code base} in the header, and what changed since that base, read
 * with it by {@link ManifestReader}):
 * <pre>
 * version 3: size,path,modtime,kind,uid,gid,mode,user,group,link target,xattrs,link group,ctime,sha256
 *            xattrs: POSIX ACLs and user.* attributes, name=base64 separated by ';' (names.Xattrs);
 *            link group: for a file with more than one hard link, its inode in the source (the same for every
 *            name of it), else empty; ctime: the source's change time in nanoseconds; sha256: a file's
 *            content in the mirror as the run left it (verify checks the mirror and the deleted area with it)
 * version 2: size,path,modtime,kind,uid,gid,mode,user,group,link target
 *            kind f (file), l (link: path NAME.rclonelink, as rclone lists it), d (folder: path ending in /);
 *            modtime in nanoseconds since the epoch; mode in octal; user and group names where they resolved
 * version 1: size,path,modtime[,link target]   (files and links only, modtime as rclone lsf prints it)
 * </pre>
 * Paths (and link targets) are in the listing's form, one char per byte, written back byte for byte.
 * Kept beside the run's folder of the deleted area ({@link org.idream.backup.model.Layout#manifestFile}), so
 * that retention removes it with the run's displaced files. {@link ManifestWriter} writes one,
 * {@link ManifestReader} reads one; this class is the one place that spells a record.
 */
public final class Manifest {
    /** The version this product writes. */
    public static final int VERSION = 3;
    /** The first version with owners, groups, modes and folders. */
    public static final int OWNERS_VERSION = 2;
    /** The version of a manifest made from rclone's listing of the mirror: no owners, modes or folders. */
    public static final int LISTING_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    /**
     * The header: whose mirror, which run, when it was written, in which version, when its run started (null in
     * a manifest written before this was recorded), and, for a delta, the run whose manifest is its base (null:
     * the manifest holds every entry).
     */
    public record Header(String source, String run, OffsetDateTime written, int version, OffsetDateTime started,
            String base) {
        public Header(String source, String run, OffsetDateTime written, int version, OffsetDateTime started) {
            this(source, run, written, version, started, null);
        }

        /** A delta: its entries are what changed since its base ({@link Delta}). */
        public boolean delta() {
            return base != null;
        }
    }

    private Manifest() {
    }

    /** The header line, {@code #} and a JSON object. */
    static String headerLine(Header h) throws JsonProcessingException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", h.version());
        header.put("source", h.source());
        header.put("run", h.run());
        header.put("written", h.written().toString());
        if (h.started() != null) {
            header.put("started", h.started().toString());
        }
        if (h.base() != null) {
            header.put("base", h.base());
        }
        return "#" + JSON.writeValueAsString(header);
    }

    /** The header read back from its line; null when the line is not one. */
    static Header header(String line) throws JsonProcessingException {
        if (line == null || !line.startsWith("#")) {
            return null;
        }
        JsonNode node = JSON.readTree(line.substring(1));
        return new Header(node.get("source").asText(), node.get("run").asText(),
                OffsetDateTime.parse(node.get("written").asText()), node.path("version").asInt(LISTING_VERSION),
                node.hasNonNull("started") ? OffsetDateTime.parse(node.get("started").asText()) : null,
                node.hasNonNull("base") ? node.get("base").asText() : null);
    }

    /** One entry as its record (without the line's end). */
    static String line(ManifestEntry e) {
        StringBuilder line = new StringBuilder().append(e.size()).append(',').append(csv(e.path())).append(',')
                .append(csv(e.modTime()));
        if (e.kind() == ManifestEntry.LISTED) {
            if (e.link()) {
                line.append(',').append(csv(e.linkTarget()));
            }
        } else {
            line.append(',').append(e.kind()).append(',').append(text(e.uid())).append(',').append(text(e.gid()))
                    .append(',').append(e.mode() == null ? "" : Integer.toOctalString(e.mode())).append(',')
                    .append(csv(text(e.user()))).append(',').append(csv(text(e.group()))).append(',')
                    .append(csv(text(e.linkTarget())));
            if (e.xattrs() != null || e.linkGroup() != null || e.ctime() != null || e.sha256() != null) {
                line.append(',').append(csv(text(e.xattrs()))).append(',').append(text(e.linkGroup())).append(',')
                        .append(text(e.ctime())).append(',').append(text(e.sha256()));
            }
        }
        return line.toString();
    }

    /** One record's fields read back as the entry they spell, in the manifest's version. */
    static ManifestEntry entry(List<String> f, int version) {
        if (version < OWNERS_VERSION) {
            return new ManifestEntry(Long.parseLong(f.get(0)), f.get(1), f.get(2), f.size() > 3 ? f.get(3) : null);
        }
        return new ManifestEntry(Long.parseLong(f.get(0)), f.get(1), f.get(2), f.get(3).equals("l") ? f.get(9) : null,
                f.get(3).charAt(0), integer(f.get(4), 10), integer(f.get(5), 10), integer(f.get(6), 8),
                empty(f.get(7)), empty(f.get(8)), f.size() > 10 ? empty(f.get(10)) : null,
                f.size() > 11 && !f.get(11).isEmpty() ? Long.valueOf(f.get(11)) : null,
                f.size() > 12 ? empty(f.get(12)) : null, f.size() > 13 ? empty(f.get(13)) : null);
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String csv(String field) {
        if (field.isEmpty() || field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static Integer integer(String s, int radix) {
        return s.isEmpty() ? null : Integer.parseInt(s, radix);
    }

    private static String empty(String s) {
        return s.isEmpty() ? null : s;
    }
}
