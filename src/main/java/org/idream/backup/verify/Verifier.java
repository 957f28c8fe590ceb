package org.idream.backup.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.Layout;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.restore.Archive;
import org.idream.backup.tree.ContentHash;
import org.idream.backup.tree.DirectWalk;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.Listing;

/**
 * Re-reads what the backup stored and checks it against what the runs recorded: the mirror against the last
 * manifest of its source (every entry there, a file with its size, a link with its target; with the content
 * read, its SHA-256), and each run's folder of the deleted area against the manifest of the run before it
 * (each version there is the mirror's copy that run recorded: its size, its hash). A version no manifest
 * recorded (a run of an older version, a run that failed) is counted, not judged. The nightly slice judges only the
 * run folders of its night's turn ({@link Slice#checksRun}): each costs a read of a whole manifest.
 */
public final class Verifier {
    /** One thing found wrong: where, and what. */
    public record Damage(Path path, String what, boolean inMirror, String source, String rel) {
        public String describe() {
            return path + " (" + what + ")";
        }
    }

    private final Slice slice;
    private final List<Damage> damaged = new ArrayList<>();
    private long checked;
    private long read;
    private long bytesRead;
    private long unrecorded;

    public Verifier(Slice slice) {
        this.slice = slice;
    }

    /**
     * Checks one source's deleted area, and its mirror when {@code mirrorSettled}: not while a run that failed
     * part way has changed it since its last manifest.
     */
    public void check(Archive archive, boolean mirrorSettled) throws IOException {
        List<Archive.RunManifest> manifests = archive.manifests();
        if (manifests.isEmpty()) {
            return;
        }
        if (mirrorSettled) {
            checkMirror(archive, manifests.get(manifests.size() - 1));
        }
        List<String> runs = archive.runs();
        for (Archive.Displaced d : archive.displaced()) {
            if (!slice.checksRun(d.run())) {
                continue;                                  // another night's turn (the nightly slice)
            }
            // what a run displaced is judged by the manifest of the run just before it; when that run's manifest is
            // gone (retention pruned it, keeping only what a restore point beyond the window needs), by none: an
            // older manifest would not describe what this run displaced
            int i = runs.indexOf(d.run());
            String previous = i > 0 ? runs.get(i - 1) : null;
            Archive.RunManifest before = null;
            for (Archive.RunManifest m : manifests) {
                if (m.run().equals(previous)) {
                    before = m;
                }
            }
            checkDisplaced(archive, d, before);
        }
    }

    /** How many of the mirror's entries are looked at together (their lstats a few at once). */
    private static final int BATCH = 4096;

    private void checkMirror(Archive archive, Archive.RunManifest last) throws IOException {
        String source = archive.source().toString();
        List<ManifestEntry> batch = new ArrayList<>(BATCH);
        // the mirror's top opened once: each entry's kind and size by a statx relative to it (where that runs)
        try (DirectWalk.Folder root = DirectWalk.available() ? DirectWalk.root(archive.mirror()) : null) {
            ManifestReader.read(last.file(), e -> {
                batch.add(e);
                if (batch.size() == BATCH) {
                    checkMirror(archive, last, source, batch, root);
                    batch.clear();
                }
            });
            checkMirror(archive, last, source, batch, root);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Files up to this size are read a few at once (each costs its open and close more than its bytes). */
    private static final long SMALL = 1 << 20;

    /**
     * A batch of the mirror's entries: whether each is there as recorded (an lstat each) and, for a small file in
     * the night's slice, its content, a few at once (a million entries a night, on the readers' threads of
     * {@link Listing#each}); then the larger contents in the slice read one after another, on this thread (one
     * disk, one reader of large files).
     */
    private void checkMirror(Archive archive, Archive.RunManifest last, String source, List<ManifestEntry> batch,
            DirectWalk.Folder root) {
        Path mirror = archive.mirror();
        List<String> found;
        try {
            found = Listing.each(IntStream.range(0, batch.size()).boxed().toList(), i -> {
                ManifestEntry e = batch.get(i);
                String wrong = present(e, mirror, root);
                return wrong != null || e.size() > SMALL ? wrong : mirrorContent(e, mirror, source);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);      // present() names what it cannot read; this is the pool's failure
        }
        for (int i = 0; i < batch.size(); i++) {
            ManifestEntry e = batch.get(i);
            checked++;
            String wrong = found.get(i) != null || e.size() <= SMALL ? found.get(i) : mirrorContent(e, mirror, source);
            if (wrong != null) {
                damaged.add(new Damage(at(mirror, e), wrong + "; the run of " + last.run() + " recorded it", true,
                        source, e.fileSystemPath()));
            }
        }
    }

    private static Path at(Path mirror, ManifestEntry e) {
        return Names.resolveListed(mirror, e.fileSystemPath());
    }

    /**
     * What is wrong with a mirror's entry against its record but its content: by a statx relative to the mirror's
     * top where it is open (a link's target still read by its path), else by its path.
     */
    private static String present(ManifestEntry e, Path mirror, DirectWalk.Folder root) {
        if (root == null || e.link()) {
            return present(e, at(mirror, e));
        }
        try {
            DirectWalk.Stat s = root.stat(e.fileSystemPath());
            if (e.directory()) {
                return s != null && s.kind() == Entry.Kind.DIR ? null : "a folder missing";
            }
            if (s == null || s.kind() != Entry.Kind.FILE) {
                return "missing";
            }
            return s.size() == e.size() ? null : s.size() + " bytes, recorded " + e.size();
        } catch (IOException ex) {
            return "unreadable: " + ex.getMessage();
        }
    }

    /** What is wrong with the content of a mirror's file that is there with its recorded size, when the slice reads it. */
    private String mirrorContent(ManifestEntry e, Path mirror, String source) {
        return e.file() && e.sha256() != null && slice.reads(source, e.path()) ? hashed(e, at(mirror, e)) : null;
    }

    private synchronized void counted(long bytes) {
        read++;
        bytesRead += bytes;
    }

    /** What is wrong with {@code at} against its entry but its content: kind, a link's target, a file's size. */
    private static String present(ManifestEntry e, Path at) {
        try {
            if (e.directory()) {
                return Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS) ? null : "a folder missing";
            }
            if (e.link()) {
                if (!Files.isSymbolicLink(at)) {
                    return "a link missing";
                }
                return e.linkTarget() == null || Names.readLink(at).equals(e.linkTarget()) ? null
                        : "a link to " + ListedNames.escaped(Names.readLink(at)) + ", recorded to "
                        + ListedNames.escaped(e.linkTarget());
            }
            BasicFileAttributes a;                    // one lstat: a million entries a night
            try {
                a = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException gone) {
                return "missing";
            }
            if (!a.isRegularFile()) {
                return "missing";
            }
            long size = a.size();
            return size == e.size() ? null : size + " bytes, recorded " + e.size();
        } catch (IOException ex) {
            return "unreadable: " + ex.getMessage();
        }
    }

    /**
     * What is wrong with the content of a file {@code at} that is there with its recorded size, when the slice reads
     * it: a mirror's file ({@code displacedBy} null), or a version in the deleted area's folder of that run.
     */
    private String content(ManifestEntry e, Path at, String source, String displacedBy) {
        return e.file() && e.sha256() != null && (displacedBy == null ? slice.reads(source, e.path())
                : slice.readsDisplaced(displacedBy, source, e.path())) ? hashed(e, at) : null;
    }

    /** What is wrong with the content of a file {@code at} against its recorded hash, read whole. */
    private String hashed(ManifestEntry e, Path at) {
        try {
            counted(e.size());
            String hash = ContentHash.sha256(at);
            if (!hash.equals(e.sha256())) {
                return "its content changed: SHA-256 " + hash.substring(0, 16) + "..., recorded "
                        + e.sha256().substring(0, 16) + "...";
            }
            return null;
        } catch (IOException ex) {
            return "unreadable: " + ex.getMessage();
        }
    }

    private void checkDisplaced(Archive archive, Archive.Displaced d, Archive.RunManifest before) throws IOException {
        Map<String, Path> versions = new HashMap<>();
        Files.walkFileTree(d.folder(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    versions.put(rel(d.folder(), file), file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        String source = archive.source().toString();
        if (before != null && !versions.isEmpty()) {
            ManifestReader.read(before.file(), e -> {
                Path at = e.file() ? versions.remove(e.path()) : null;
                if (at != null) {
                    checked++;
                    String wrong = present(e, at);
                    if (wrong == null) {
                        wrong = content(e, at, source, d.run());
                    }
                    if (wrong != null) {
                        damaged.add(new Damage(at, wrong + "; displaced by the run of " + d.run() + ", recorded by "
                                + "the run of " + before.run(), false, source, e.path()));
                    }
                }
            });
        }
        unrecorded += versions.size();
    }

    /** A path below {@code root}, relative to it, in the listing's form. */
    private static String rel(Path root, Path p) {
        StringBuilder rel = new StringBuilder();
        for (Path name : root.relativize(p)) {
            rel.append(rel.length() == 0 ? "" : "/").append(ListedNames.of(Names.bytes(p.getRoot().resolve(name))));
        }
        return rel.toString();
    }

    public List<Damage> damaged() {
        return damaged;
    }

    /** Entries and versions checked. */
    public long checked() {
        return checked;
    }

    /** Files read whole, and their bytes. */
    public long read() {
        return read;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** Versions in the deleted area no manifest recorded: not judged. */
    public long unrecorded() {
        return unrecorded;
    }

    public Slice slice() {
        return slice;
    }
}
