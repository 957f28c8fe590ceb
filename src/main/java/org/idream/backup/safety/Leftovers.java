package org.idream.backup.safety;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.model.Layout;

/**
 * What a run that was killed (kill -9, a power cut) left in the deleted area, removed by the next run under the
 * run lock: the hidden work files of its manifests ({@code .<source>.csv.gz.work}, {@code .listed},
 * {@code .hashed}), then its manifest folder and its run folder when they are empty. Nothing else: a displaced
 * file, a manifest or a folder that holds anything stays.
 */
public final class Leftovers {
    private Leftovers() {
    }

    /** Removes them from {@code deletedRoot}, except this run's ({@code thisRun}); what was removed. */
    public static List<Path> clean(Path deletedRoot, Path thisRun) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(deletedRoot, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        Path ours = Layout.manifestFolder(thisRun);
        try (DirectoryStream<Path> days = Files.newDirectoryStream(deletedRoot, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")) {
            for (Path day : days) {
                if (!Files.isDirectory(day, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> manifests = Files.newDirectoryStream(day, "*" + Layout.MANIFEST_SUFFIX)) {
                    for (Path folder : manifests) {
                        if (folder.equals(ours) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                            continue;
                        }
                        clean(folder, removed);
                    }
                }
            }
        }
        return removed;
    }

    private static void clean(Path manifests, List<Path> removed) throws IOException {
        try (DirectoryStream<Path> work = Files.newDirectoryStream(manifests, ".*.{work,listed,hashed}")) {
            for (Path w : work) {
                if (Files.isRegularFile(w, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(w);
                    removed.add(w);
                }
            }
        }
        if (empty(manifests)) {
            Files.delete(manifests);
            removed.add(manifests);
            String name = manifests.getFileName().toString();
            Path run = manifests.resolveSibling(name.substring(0, name.length() - Layout.MANIFEST_SUFFIX.length()));
            if (Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS) && empty(run)) {
                Files.delete(run);
                removed.add(run);
            }
        }
    }

    private static boolean empty(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        }
    }
}
