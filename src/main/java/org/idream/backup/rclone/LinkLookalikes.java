package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import org.idream.backup.names.ListedNames;

/**
 * Regular files whose name ends in {@code .rclonelink}. With {@code --links}, rclone 1.60 reads such a file
 * as the link it names that way ({@code plain.rclonelink} as a link {@code plain}) and fails:
 * {@code readlink .../plain: no such file or directory}, the whole directory with it, every night. So they
 * are kept out of rclone's way (an exclude file with their exact paths, and with them a link of the same
 * name without the suffix, which rclone names alike) and this product copies them itself.
 */
public final class LinkLookalikes {
    private LinkLookalikes() {
    }

    /** Whether a regular file of this name (the listing's form) is one. */
    public static boolean is(String listedName) {
        return listedName.endsWith(RcloneListing.LINK_SUFFIX);
    }

    /**
     * An exclude file of their paths (relative to the tree's root, in the listing's form), for
     * {@link RcloneSetup#apart}: each anchored at the root, glob characters escaped, as rclone's filters see
     * the name.
     */
    public static Path excludeFile(Collection<String> rels) throws IOException {
        Path file = Files.createTempFile("ceph-backup-apart-", ".txt");
        StringBuilder out = new StringBuilder();
        for (String rel : rels) {
            out.append(pattern(rel)).append('\n');
        }
        Files.writeString(file, out);
        return file;
    }

    /** An rclone filter rule matching exactly this path (a byte that is not UTF-8 matches as any one character). */
    static String pattern(String listedRel) {
        StringBuilder p = new StringBuilder("/");
        String remote = ListedNames.remote(listedRel);
        for (int i = 0; i < remote.length(); i++) {
            char c = remote.charAt(i);
            if ("\\*?[]{}".indexOf(c) >= 0) {
                p.append('\\');
            }
            p.append(c == '\uFFFD' ? '?' : c);
        }
        return p.toString();
    }
}
