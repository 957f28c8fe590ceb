package org.idream.backup.restore;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.names.Xattrs;

/**
 * Gives what a restore wrote the owner, group, mode, POSIX ACLs, {@code user.*} attributes and modification
 * time its manifest recorded (the mirror, written by rclone, keeps none of them): numeric ids, as they were
 * on the source (the names are in the manifest for people; an ACL's ids too: its binary form); the owner
 * before the mode (chown clears a file's set-id bits), the ACLs after it; a link's owner and time but no
 * mode (Linux has none); folders last, deepest first, so that writing into them does not move their times
 * again. Each is read back: what could not be set (not root, a group
 * this user is not in) is counted and named, never silently dropped.
 */
final class Attributes {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final int EXAMPLES = 3;

    private record Folder(Path at, ManifestEntry entry) {
    }

    /** What could not be set, of one kind (owner, group, mode, time): how many, and the first few. */
    static final class Misses {
        long count;
        final List<String> examples = new ArrayList<>();

        void add(Path at, String why) {
            if (count++ < EXAMPLES) {
                examples.add(at + " (" + why + ")");
            }
        }
    }

    private final Path target;
    private final Set<Path> safe = new HashSet<>();
    private final List<Folder> folders = new ArrayList<>();
    final Misses owner = new Misses();
    final Misses group = new Misses();
    final Misses mode = new Misses();
    final Misses time = new Misses();
    final Misses xattrs = new Misses();
    long set;
    /** Entries of the manifest the target does not hold as that kind of thing (changed since that run). */
    long skipped;

    private final boolean cephAttributes;

    /**
     * @param target         the folder restored into
     * @param cephAttributes set folders' CephFS quotas and layouts too ({@code --ceph-attributes})
     */
    Attributes(Path target, boolean cephAttributes) {
        this.cephAttributes = cephAttributes;
        this.target = target.toAbsolutePath().normalize();
        safe.add(this.target);
    }

    /**
     * One entry at its place in the target: a file's or link's attributes now, a folder's (made when
     * the restore wrote nothing into it: an empty folder) at {@link #finish}.
     */
    void apply(ManifestEntry e, Path at) throws IOException {
        if (e.directory()) {
            makeFolders(at);          // a manifest may list a folder before its parent (a guided run's kept entries)
        }
        if (!inside(at)) {
            skipped++;
            return;
        }
        if (e.directory()) {
            Files.createDirectories(at);
            folders.add(new Folder(at, e));
            return;
        }
        boolean same = e.link() ? Files.isSymbolicLink(at)
                : Files.isRegularFile(at, NOFOLLOW) && Files.size(at) == e.size();
        if (!same) {
            skipped++;
            return;
        }
        set(e, at);
    }

    /**
     * The folders down to {@code at} that do not exist yet, made below the deepest one that does, when that one is
     * the target or a folder inside it ({@link #inside}: no link on the way).
     */
    private void makeFolders(Path at) throws IOException {
        Path existing = at.toAbsolutePath().getParent();
        while (existing != null && existing.startsWith(target) && !Files.exists(existing, NOFOLLOW)) {
            existing = existing.getParent();
        }
        if (existing != null && existing.startsWith(target) && Files.isDirectory(existing, NOFOLLOW)
                && (existing.equals(target) || inside(existing))) {
            Files.createDirectories(at.toAbsolutePath().getParent());
        }
    }

    /**
     * {@code at}'s folder is the target or a folder below it with no link on the way: chmod and chown
     * follow a link in the middle of a path, and a restore with --force into a tree that others can write
     * must not change anything outside it.
     */
    private boolean inside(Path at) throws IOException {
        Path parent = at.toAbsolutePath().getParent();
        if (at.toAbsolutePath().equals(target) || safe.contains(parent)) {
            return true;
        }
        if (!parent.startsWith(target) || !Files.isDirectory(parent, NOFOLLOW) || !inside(parent)) {
            return false;
        }
        safe.add(parent);
        return true;
    }

    /** The folders' attributes, deepest first. */
    void finish() throws IOException {
        folders.sort(Comparator.comparingInt((Folder f) -> f.at().getNameCount()).reversed());
        for (Folder f : folders) {
            if (Files.isDirectory(f.at(), NOFOLLOW)) {
                set(f.entry(), f.at());
            } else {
                skipped++;
            }
        }
        folders.clear();
    }

    private void set(ManifestEntry e, Path at) throws IOException {
        if (!e.hasOwnership()) {
            return;
        }
        set++;
        try {
            Files.setAttribute(at, "unix:uid", e.uid(), NOFOLLOW);
        } catch (FileSystemException denied) {
            // an unprivileged user cannot give a file away
        }
        try {
            Files.setAttribute(at, "unix:gid", e.gid(), NOFOLLOW);
        } catch (FileSystemException denied) {
            // only to a group this user is in
        }
        if (!e.link()) {
            try {
                Files.setAttribute(at, "unix:mode", e.mode());
            } catch (FileSystemException denied) {
                // not the owner (any more)
            }
        }
        // ACLs after the mode (an access ACL sets the group bits to its mask), before the time
        SortedMap<String, byte[]> wanted = Xattrs.decode(e.xattrs());
        wanted.keySet().removeIf(n -> Xattrs.ceph(n) && !cephAttributes);
        for (Map.Entry<String, byte[]> x : wanted.entrySet()) {
            try {
                Xattrs.write(at, x.getKey(), x.getValue());
            } catch (IOException denied) {
                // a file system without them, an unprivileged user on another's file, a link (no user.* on links)
            }
        }
        FileTime t = e.fileTime();
        try {
            Files.getFileAttributeView(at, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, null, null);
        } catch (FileSystemException denied) {
            // not the owner (any more)
        }
        Map<String, Object> now = Files.readAttributes(at, "unix:uid,gid,mode,lastModifiedTime", NOFOLLOW);
        if (!e.uid().equals(now.get("uid"))) {
            owner.add(at, "owner " + name(e.uid(), e.user()) + ", left " + now.get("uid"));
        }
        if (!e.gid().equals(now.get("gid"))) {
            group.add(at, "group " + name(e.gid(), e.group()) + ", left " + now.get("gid"));
        }
        if (!wanted.isEmpty()) {
            SortedMap<String, byte[]> got = Xattrs.read(at, e.directory());
            List<String> missing = wanted.keySet().stream().filter(n -> !Arrays.equals(wanted.get(n), got.get(n)))
                    .toList();
            if (!missing.isEmpty()) {
                xattrs.add(at, String.join(", ", missing));
            }
        }
        int got = (Integer) now.get("mode") & 07777;
        if (!e.link() && got != e.mode()) {
            mode.add(at, "mode " + Integer.toOctalString(e.mode()) + ", left " + Integer.toOctalString(got));
        }
        // a link's time is set to the microsecond (lutimes), a file's and folder's to the nanosecond
        long want = t.toInstant().getEpochSecond() * 1_000_000 + t.toInstant().getNano() / 1000;
        Instant left = ((FileTime) now.get("lastModifiedTime")).toInstant();
        if (left.getEpochSecond() * 1_000_000 + left.getNano() / 1000 != want) {
            time.add(at, "modified " + t + ", left " + left);
        }
    }

    private static String name(int id, String name) {
        return name == null ? Integer.toString(id) : id + " (" + name + ")";
    }

    /** What could not be set, one phrase per kind; empty when everything was. */
    List<String> misses() {
        List<String> all = new ArrayList<>();
        for (var m : List.of(Map.entry("owner", owner), Map.entry("group", group), Map.entry("mode", mode),
                Map.entry("modification time", time), Map.entry("ACLs or extended attributes", xattrs))) {
            if (m.getValue().count > 0) {
                all.add("the " + m.getKey() + " of " + m.getValue().count + " entr" + (m.getValue().count == 1 ? "y" : "ies")
                        + ", e.g. " + String.join(", ", m.getValue().examples));
            }
        }
        return all;
    }
}
