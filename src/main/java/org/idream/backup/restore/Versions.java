package org.idream.backup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.names.Xattrs;

/**
 * {@code bin/backup versions SOURCE_PATH}: every version of one file the backup holds, newest first
 * (the mirror's copy, then each copy a run displaced into the deleted area); for a folder, every run
 * that recorded it, with what it held then.
 */
public final class Versions {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** One stored version: which run displaced it (null: still the mirror's), its size, mtime, where. */
    public record Version(String displacedBy, long size, String modified, Path where) {
        public String describe() {
            String when = displacedBy == null ? "current (in the mirror)" : "replaced or deleted at the run of "
                    + displacedBy.replace('/', ' ').replaceFirst(" (\\d\\d)-(\\d\\d)-(\\d\\d)", " $1:$2:$3");
            return String.format("%-52s %12d bytes  modified %s  %s", when, size, modified, where);
        }
    }

    private Versions() {
    }

    public static List<Version> of(RestorePlanner planner, Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        Archive archive = planner.archive(p);
        String rel = archive.source().relativize(p).toString();
        List<Version> versions = new ArrayList<>();
        add(versions, null, archive.mirror().resolve(rel));
        List<Archive.Displaced> displaced = new ArrayList<>(archive.displaced());
        Collections.reverse(displaced);
        for (Archive.Displaced d : displaced) {
            add(versions, d.run(), d.folder().resolve(rel));
        }
        return versions;
    }

    /** One restore point of a folder: a run's manifest, and what the folder held in it. */
    public record FolderVersion(String run, OffsetDateTime started, long files, long bytes, String ceph) {
        public String describe() {
            return String.format("%-20s %8d files %14d bytes   restore --as-of %s", run, files, bytes, run)
                    + (ceph.isEmpty() ? "" : "   CephFS: " + ceph);
        }
    }

    /** Every restore point of a folder (or a whole source), newest first: what each run's manifest held below it. */
    public static List<FolderVersion> ofFolder(RestorePlanner planner, Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        Archive archive = planner.archive(p);
        String rel = archive.source().relativize(p).toString();
        String prefix = rel.isEmpty() ? "" : ListedNames.of(rel) + "/";
        List<FolderVersion> all = new ArrayList<>();
        for (Archive.RunManifest m : archive.manifests()) {
            long[] n = {0, 0};
            String[] ceph = {""};
            ManifestReader.read(m.file(), e -> {
                if (e.path().startsWith(prefix) && !e.directory()) {
                    n[0]++;
                    n[1] += e.size();
                } else if (e.directory() && e.path().equals(prefix)) {
                    ceph[0] = Xattrs.cephSettings(e.xattrs());    // the folder's quotas and layout on CephFS
                }
            });
            if (n[0] > 0 || rel.isEmpty()) {
                all.add(new FolderVersion(m.run(), m.started(), n[0], n[1], ceph[0]));
            }
        }
        Collections.reverse(all);
        return all;
    }

    private static void add(List<Version> versions, String run, Path copy) throws IOException {
        if (!Files.exists(copy, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(copy, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(copy, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long size = a.isSymbolicLink() ? ListedNames.raw(Names.readLink(copy)).length : a.size();
        versions.add(new Version(run, size, TIME.format(a.lastModifiedTime().toInstant()), copy));
    }
}
