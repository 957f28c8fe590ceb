package org.idream.backup.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;

/**
 * What changed between two restore points of one source, from their manifests (no byte of the backup is read):
 * entries added, removed, and changed in content (a file's size, time or hash, a link's target, an entry's kind) or
 * in metadata only (owner, group, mode, ACLs and attributes). Under a folder of the source when one is given.
 */
public final class ManifestDiff {
    /** One difference: {@code +} added, {@code -} removed, {@code M} content changed, {@code m} metadata only. */
    public record Change(char sign, String path, String detail) {
        public String describe() {
            return sign + " " + path + (detail.isEmpty() ? "" : "    (" + detail + ")");
        }
    }

    /** The counts of a comparison. */
    public record Counts(long added, long removed, long content, long metadata) {
        public long total() {
            return added + removed + content + metadata;
        }
    }

    private ManifestDiff() {
    }

    /**
     * The changes from the manifest {@code from} to {@code to} under {@code under} (a relative folder in the
     * manifests' form, "" for the whole source), sorted by path. The older state is held in memory, the newer
     * streamed.
     */
    public static List<Change> between(Path from, Path to, String under) throws IOException {
        Map<String, ManifestEntry> before = new HashMap<>();
        ManifestReader.read(from, e -> {
            if (within(e, under)) {
                before.put(key(e), e);
            }
        });
        TreeMap<String, Change> changes = new TreeMap<>();
        ManifestReader.read(to, e -> {
            if (!within(e, under)) {
                return;
            }
            ManifestEntry b = before.remove(key(e));
            if (b == null) {
                changes.put(shown(e), new Change('+', shown(e), kind(e)));
                return;
            }
            String content = content(b, e);
            if (!content.isEmpty()) {
                changes.put(shown(e), new Change('M', shown(e), content));
                return;
            }
            String meta = metadata(b, e);
            if (!meta.isEmpty()) {
                changes.put(shown(e), new Change('m', shown(e), meta));
            }
        });
        before.values().forEach(b -> changes.put(shown(b), new Change('-', shown(b), kind(b))));
        return new ArrayList<>(changes.values());
    }

    public static Counts count(List<Change> changes) {
        long[] n = new long[4];
        for (Change c : changes) {
            n["+-Mm".indexOf(c.sign())]++;
        }
        return new Counts(n[0], n[1], n[2], n[3]);
    }

    private static boolean within(ManifestEntry e, String under) {
        return under.isEmpty() || e.fileSystemPath().equals(under) || e.fileSystemPath().startsWith(under + "/");
    }

    /** The same entry in both: its path as the file system has it (a link and a file of one name are one entry). */
    private static String key(ManifestEntry e) {
        return e.fileSystemPath();
    }

    private static String shown(ManifestEntry e) {
        return e.fileSystemPath() + (e.directory() ? "/" : "");
    }

    private static String kind(ManifestEntry e) {
        return e.directory() ? "folder" : e.link() ? "link to " + e.linkTarget() : e.size() + " B";
    }

    private static String content(ManifestEntry b, ManifestEntry e) {
        if (b.kind() != e.kind()) {
            return kind(b) + " -> " + kind(e);
        }
        if (e.link()) {
            return Objects.equals(b.linkTarget(), e.linkTarget()) ? "" : "target " + b.linkTarget() + " -> "
                    + e.linkTarget();
        }
        if (!e.file()) {
            return "";
        }
        List<String> what = new ArrayList<>();
        if (b.size() != e.size()) {
            what.add("size " + b.size() + " -> " + e.size());
        }
        if (b.sha256() != null && e.sha256() != null && !b.sha256().equals(e.sha256())) {
            what.add("content");
        }
        if (!b.modTime().equals(e.modTime())) {
            what.add("modified");
        }
        return String.join(", ", what);
    }

    private static String metadata(ManifestEntry b, ManifestEntry e) {
        List<String> what = new ArrayList<>();
        if (!Objects.equals(b.mode(), e.mode())) {
            what.add("mode " + octal(b.mode()) + " -> " + octal(e.mode()));
        }
        if (!Objects.equals(b.uid(), e.uid()) || !Objects.equals(b.gid(), e.gid())) {
            what.add("owner " + owner(b) + " -> " + owner(e));
        }
        if (!Objects.equals(b.xattrs(), e.xattrs())) {
            what.add("ACLs or attributes");
        }
        return String.join(", ", what);
    }

    private static String octal(Integer mode) {
        return mode == null ? "?" : String.format("%04o", mode);
    }

    static String owner(ManifestEntry e) {
        return (e.user() != null ? e.user() : String.valueOf(e.uid())) + ":"
                + (e.group() != null ? e.group() : String.valueOf(e.gid()));
    }
}
