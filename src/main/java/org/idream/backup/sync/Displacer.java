package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.tree.Listing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves what leaves a mirror into this run's deleted area, at the same relative path, exactly where
 * {@code rclone sync --backup-dir} puts it: a file or a link as it is; a directory file by file (the
 * files the filters include; what they exclude stays, as rclone leaves it), its emptied folders then
 * removed. A path this run already displaced is never overwritten: what is in the way the second time
 * is this run's own copy of the source, and is removed instead.
 */
final class Displacer {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Path mirror;
    private final Path deletedArea;
    private final RcloneFilters filters;
    private long moved;

    Displacer(Path mirror, Path deletedArea, RcloneFilters filters) {
        this.mirror = mirror;
        this.deletedArea = deletedArea;
        this.filters = filters;
    }

    /** Files and links moved into the deleted area so far. */
    long moved() {
        return moved;
    }

    /** Displaces what the mirror holds at {@code rel} (a path relative to the mirror, '/'-separated). */
    void displace(String rel) throws IOException {
        Path at = Names.resolveListed(mirror, rel);
        if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
            displaceTree(rel);
        } else {
            boolean link = Files.isSymbolicLink(at);
            if (link ? Listing.includesLink(filters, rel) : filters.includesFile(ListedNames.remote(rel))) {
                move(at, Names.resolveListed(deletedArea, rel));
            }
        }
    }

    private void displaceTree(String rel) throws IOException {
        Path top = Names.resolveListed(mirror, rel);
        List<Path> dirs = new ArrayList<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String r = rel(dir);
                if (!dir.equals(top) && !filters.includesDirectory(ListedNames.remote(r))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                dirs.add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String r = rel(file);
                boolean link = attrs.isSymbolicLink();
                if (link ? Listing.includesLink(filters, r)
                        : attrs.isRegularFile() && filters.includesFile(ListedNames.remote(r))) {
                    move(file, Names.resolveListed(deletedArea, r));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (int i = dirs.size() - 1; i >= 0; i--) {
            removeIfEmpty(dirs.get(i));
        }
    }

    /** A path below the mirror, relative to it, in the listing's form (byte for byte). */
    private String rel(Path p) {
        StringBuilder rel = new StringBuilder();
        for (Path name : mirror.relativize(p)) {
            if (rel.length() > 0) {
                rel.append('/');
            }
            rel.append(ListedNames.of(Names.bytes(p.getRoot().resolve(name))));
        }
        return rel.toString();
    }

    private void move(Path from, Path to) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            LOG.debug("displaced already in this run: {}; removing this run's copy {}", to, from);
            Files.delete(from);
            return;
        }
        Files.createDirectories(to.getParent());
        Files.move(from, to);
        moved++;
    }

    /** Removes a directory that holds nothing (what a sync removes when its source is gone). */
    static void removeIfEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                return;
            }
        }
        Files.delete(dir);
    }
}
