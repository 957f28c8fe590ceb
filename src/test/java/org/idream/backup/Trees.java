package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;

/** What a user checks after a backup: the same paths, the same kinds, the same bytes, the same links. */
final class Trees {
    private Trees() {
    }

    /**
     * Every entry under {@code root}, by its relative path (byte for byte: escaped as the product's logs show
     * a name, {@code caf\\xe9.txt}): "dir", "link -> target" or "file <sha-256>".
     */
    static TreeMap<String, String> describe(Path root, Predicate<String> include) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        for (var e : walk(root).entrySet()) {
            String rel = e.getKey();
            Path p = e.getValue();
            if (!include.test(rel)) {
                continue;
            }
            if (Files.isSymbolicLink(p)) {
                entries.put(rel, "link -> " + ListedNames.escaped(Names.readLink(p)));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                entries.put(rel, "dir");
            } else {
                entries.put(rel, "file " + sha256(Files.readAllBytes(p)));
            }
        }
        return entries;
    }

    /** Every entry under {@code root}: its relative path, escaped, to the path itself (whose bytes are exact). */
    private static TreeMap<String, Path> walk(Path root) throws IOException {
        TreeMap<String, Path> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                StringBuilder rel = new StringBuilder();
                for (Path name : root.relativize(p)) {
                    rel.append(rel.length() == 0 ? "" : "/").append(ListedNames.escaped(ListedNames.of(
                            Names.bytes(p.getRoot().resolve(name)))));
                }
                all.put(rel.toString(), p);
            }
        }
        return all;
    }

    /**
     * {@link #describe} with each entry's owner, group, mode (none for a link) and modification time (to
     * the microsecond: a link's is set with lutimes(3)): what {@code ls -l --full-time} shows.
     */
    static TreeMap<String, String> withAttributes(Path root) throws IOException {
        TreeMap<String, String> all = describe(root);
        TreeMap<String, Path> paths = walk(root);
        for (var e : all.entrySet()) {
            Path p = paths.get(e.getKey());
            var a = Files.readAttributes(p, "unix:uid,gid,mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            java.time.Instant t = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant();
            e.setValue(e.getValue() + " " + a.get("uid") + ":" + a.get("gid")
                    + (Files.isSymbolicLink(p) ? "" : " " + Integer.toOctalString((Integer) a.get("mode") & 07777))
                    + " " + t.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        return all;
    }

    static TreeMap<String, String> describe(Path root) throws IOException {
        return describe(root, rel -> true);
    }

    /** Files and links only (what a restore --as-of brings back: no empty directories). */
    static TreeMap<String, String> filesAndLinks(Path root) throws IOException {
        TreeMap<String, String> all = describe(root);
        all.values().removeIf("dir"::equals);
        return all;
    }

    /** The mirror holds exactly the source: paths, kinds, content, symlink targets, empty directories. */
    static void assertSameTree(Path source, Path mirror) throws IOException {
        assertEquals(describe(source), describe(mirror), "mirror " + mirror + " equals source " + source);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All regular files under root, relative. */
    static Set<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return new java.util.TreeSet<>(s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString()).toList());
        }
    }

    static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
