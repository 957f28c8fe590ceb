package org.idream.backup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.tree.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk before a full sync, against rclone itself: with the exclude file's rules as rclone compiles
 * them, it sees exactly the files and links rclone lists (the same fingerprint), and it finds what changed
 * kind, which the full sync displaces before rclone runs.
 */
class PreScanTest {
    @TempDir
    Path tmp;

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void itSeesWhatRcloneListsWithTheSameFilters() throws Exception {
        Path src = tmp.resolve("src");
        for (String f : List.of("a.dat", "a.tmp", "top-only.dat", "sub/top-only.dat", "cache/x.dat", "sub/cache/y.dat",
                "x/deep/z.log", "deep/z.log", "ax.dat", "bx.dat", "dx.dat", "foo.txt", "bar.txt", "baz.txt",
                "skip/inner/file", "keep/skip/file", "name with space.dat", "ünïcödé.dat", "n\u0007bell.dat",
                "sub/dir.tmp/inside.dat")) {
            write(src.resolve(f), f);
        }
        Files.createSymbolicLink(src.resolve("link.tmp"), Path.of("a.dat"));
        Files.createSymbolicLink(src.resolve("link-kept"), Path.of("nowhere"));
        Files.createDirectories(src.resolve("empty"));
        Path exclude = tmp.resolve("exclude.txt");
        Files.writeString(exclude, "# comment\n*.tmp\n/top-only.dat\ncache/\n**/deep/*.log\n[ab]x.dat\n{foo,bar}.txt\n"
                + "/skip/**\n");
        RcloneSetup plain = new RcloneSetup("rclone", Optional.empty(), Optional.of(exclude), Optional.empty());
        RcloneFilters filters = RcloneFilters.of(plain);
        assertFalse(filters.none());

        Files.setPosixFilePermissions(src.resolve("a.dat"), PosixFilePermissions.fromString("rwxr-x--x"));
        assertEquals(0, new ProcessBuilder("chmod", "2770", src.resolve("empty").toString()).start().waitFor());

        ManifestWriter recorder = new ManifestWriter(tmp.resolve("m.csv.gz"), src, "run", OffsetDateTime.now(),
                tmp.resolve("mirror"),
                Manifest.VERSION);
        FullPlan r = PreScan.run(src, tmp.resolve("mirror"), filters, recorder, path -> null);
        assertTrue(r.complete());
        Map<String, String> listed = new TreeMap<>();
        TreeSummary rclone = new RcloneListing(plain).summarize(src, new RcloneLog("test", s -> { }),
                f -> listed.put(f[1], f[0]));
        assertEquals(rclone, r.source(), "the walk and rclone see the same files: " + rclone.describe() + " / "
                + r.source().describe());
        assertEquals(11, r.source().files(), "the files the rules keep, links included");

        // the walk's manifest: rclone's files and links, the folders, each with its owner, group and mode
        Map<String, ManifestEntry> manifest = new TreeMap<>();
        ManifestReader.read(r.manifestWork(), e -> manifest.put(e.path(), e));
        Map<String, String> files = new TreeMap<>();
        manifest.values().stream().filter(e -> !e.directory()).forEach(e -> files.put(e.path(), Long.toString(e.size())));
        assertEquals(listed, files);
        int uid = (Integer) Files.getAttribute(src, "unix:uid");
        for (ManifestEntry e : manifest.values()) {
            Path p = Names.resolveListed(src, e.fileSystemPath());
            assertEquals(uid, e.uid(), e.path());
            assertEquals((Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS), e.gid(), e.path());
            assertEquals((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777, e.mode(),
                    e.path());
            assertEquals(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS), e.fileTime(), e.path());
            assertEquals(System.getProperty("user.name"), e.user(), e.path());
        }
        assertEquals(0751, manifest.get("a.dat").mode());
        assertEquals(02770, manifest.get("empty/").mode());
        assertEquals('l', manifest.get("link-kept.rclonelink").kind());
        assertEquals("nowhere", manifest.get("link-kept.rclonelink").linkTarget());
        assertTrue(manifest.containsKey("sub/dir.tmp/") && !manifest.containsKey("cache/")
                && !manifest.containsKey("skip/"), "the folders rclone goes into: " + manifest.keySet());
    }

    @Test
    void entriesThatChangedKindAreDisplacedFirstWithTheirContent() throws Exception {
        Path src = tmp.resolve("src");
        Path mirror = tmp.resolve("mirror");
        Path deleted = tmp.resolve("deleted");
        write(mirror.resolve("was-file"), "old file");
        Files.createDirectories(mirror.resolve("was-dir/inner"));
        Files.writeString(mirror.resolve("was-dir/inner/f"), "old inner");
        Files.createSymbolicLink(mirror.resolve("was-link"), Path.of("/etc/passwd"));
        write(mirror.resolve("same"), "same");

        Files.createDirectories(src);
        Files.createSymbolicLink(src.resolve("was-file"), Path.of("target"));
        write(src.resolve("was-dir"), "a file now");
        write(src.resolve("was-link"), "a file where a link was");
        write(src.resolve("same"), "same");

        FullPlan r = PreScan.run(src, mirror, RcloneFilters.NONE, null, path -> null);
        assertEquals(List.of(new FullPlan.KindChange("was-dir", Entry.Kind.FILE),
                new FullPlan.KindChange("was-file", Entry.Kind.LINK), new FullPlan.KindChange("was-link", Entry.Kind.FILE)),
                r.kindChanges().stream().sorted(Comparator.comparing(FullPlan.KindChange::rel)).toList());
        assertEquals("old file", Files.readString(mirror.resolve("was-file")), "the walk changes nothing");
        assertEquals(3, FullSync.displace(r.kindChanges(), mirror, deleted, RcloneFilters.NONE));
        assertEquals(0, FullSync.displace(r.kindChanges(), mirror, deleted, RcloneFilters.NONE),
                "a second attempt displaces nothing more");
        assertEquals("old file", Files.readString(deleted.resolve("was-file")));
        assertEquals("old inner", Files.readString(deleted.resolve("was-dir/inner/f")));
        assertTrue(Files.isSymbolicLink(deleted.resolve("was-link")));
        assertFalse(Files.exists(mirror.resolve("was-link"), LinkOption.NOFOLLOW_LINKS), "no link left to write through");
        assertFalse(Files.exists(mirror.resolve("was-dir")));
        assertEquals("same", Files.readString(mirror.resolve("same")), "what kept its kind stays");
    }
}
