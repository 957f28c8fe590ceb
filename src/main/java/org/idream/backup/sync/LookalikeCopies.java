package org.idream.backup.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.LinkLookalikes;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;

/**
 * What a full sync leaves to this product because rclone cannot carry it ({@link LinkLookalikes}): the
 * regular files named {@code *.rclonelink}, and a link named like one of them without the suffix. The
 * mirror is made to hold what the source holds there, as rclone would: a file copied when it is new or
 * differs (size, then bytes), the version it replaces displaced into the deleted area first; what the source
 * no longer has displaced; a link made anew when its target differs.
 */
final class LookalikeCopies {
    private final Path source;
    private final Path mirror;
    private final Displacer displacer;
    private int copied;

    LookalikeCopies(Path source, Path mirror, Path deletedArea, RcloneFilters filters) {
        this.source = source;
        this.mirror = mirror;
        this.displacer = new Displacer(mirror, deletedArea, filters);
    }

    /** Brings these paths (the files named {@code *.rclonelink}) and their links alike to the source's state. */
    void apply(Set<String> lookalikes) throws IOException {
        for (String rel : lookalikes) {
            Path s = Names.resolveListed(source, rel);
            Path m = Names.resolveListed(mirror, rel);
            if (Files.isRegularFile(s, LinkOption.NOFOLLOW_LINKS)) {
                if (!(Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS) && same(s, m))) {
                    displacer.displace(rel);
                    Files.createDirectories(m.getParent());
                    Files.copy(s, m, StandardCopyOption.REPLACE_EXISTING);
                    Files.setLastModifiedTime(m, Files.getLastModifiedTime(s));
                    copied++;
                }
            } else if (Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
                displacer.displace(rel);
            }
            String linkRel = rel.substring(0, rel.length() - RcloneListing.LINK_SUFFIX.length());
            Path sl = Names.resolveListed(source, linkRel);
            Path ml = Names.resolveListed(mirror, linkRel);
            if (Files.isSymbolicLink(sl)) {
                String target = Names.readLink(sl);
                if (!(Files.isSymbolicLink(ml) && Names.readLink(ml).equals(target))) {
                    displacer.displace(linkRel);
                    Files.createDirectories(ml.getParent());
                    Names.symlink(ml, target);
                    Files.getFileAttributeView(ml, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .setTimes(Files.getLastModifiedTime(sl, LinkOption.NOFOLLOW_LINKS), null, null);
                    copied++;
                }
            } else if (Files.isSymbolicLink(ml)) {
                displacer.displace(linkRel);
            }
        }
    }

    /** What the validation finds wrong with these paths: the mirror must hold the source's files and links there. */
    static List<String> check(Set<String> lookalikes, Path source, Path mirror) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String rel : lookalikes) {
            Path s = Names.resolveListed(source, rel);
            Path m = Names.resolveListed(mirror, rel);
            if (Files.isRegularFile(s, LinkOption.NOFOLLOW_LINKS) && !(Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(m) == Files.size(s))) {
                problems.add("the mirror's " + ListedNames.escaped(rel) + " is not the source's");
            }
            String linkRel = rel.substring(0, rel.length() - RcloneListing.LINK_SUFFIX.length());
            Path sl = Names.resolveListed(source, linkRel);
            Path ml = Names.resolveListed(mirror, linkRel);
            if (Files.isSymbolicLink(sl) && !(Files.isSymbolicLink(ml) && Names.readLink(ml).equals(Names.readLink(sl)))) {
                problems.add("the mirror's link " + ListedNames.escaped(linkRel) + " is not the source's");
            }
        }
        return problems;
    }

    /** Files and links moved into the deleted area. */
    long displaced() {
        return displacer.moved();
    }

    /** Files and links copied or made. */
    int copied() {
        return copied;
    }

    private static boolean same(Path a, Path b) throws IOException {
        if (Files.size(a) != Files.size(b)) {
            return false;
        }
        try (InputStream x = Files.newInputStream(a); InputStream y = Files.newInputStream(b)) {
            byte[] bx = new byte[1 << 16];
            byte[] by = new byte[1 << 16];
            while (true) {
                int n = x.readNBytes(bx, 0, bx.length);
                int k = y.readNBytes(by, 0, by.length);
                if (n != k || !Arrays.equals(bx, 0, n, by, 0, k)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }
}
