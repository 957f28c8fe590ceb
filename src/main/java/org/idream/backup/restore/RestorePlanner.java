package org.idream.backup.restore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.idream.backup.config.Invocation;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.fleet.FleetView;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.model.Host;
import org.idream.backup.model.Layout;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.LinkLookalikes;
import org.idream.backup.rclone.RcloneListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a restore. Without {@code --as-of}: the path as the mirror holds it now. With it: exactly the
 * files the last run before that moment left in the mirror (its manifest), each with the content it
 * had then: the copy displaced by the first later run that displaced it, else the mirror's copy.
 */
public final class RestorePlanner {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public RestorePlanner(Settings settings) {
        this.settings = settings;
    }

    /** The configured source holding {@code path}, and the archive of that source. */
    public Archive archive(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (Path source : settings.get(Keys.SOURCES)) {
            if (p.startsWith(source)) {
                return new Archive(source, settings.get(Keys.MAIN_ROOT), settings.get(Keys.DELETED_ROOT));
            }
        }
        throw new RestoreRefused(path + " is not in any source of " + Keys.SOURCES.name() + " = "
                + settings.get(Keys.SOURCES));
    }

    public RestorePlan plan(RestoreRequest request) throws IOException {
        Path path = request.path().toAbsolutePath().normalize();
        Archive archive = archive(path);
        elsewhere(archive);
        String rel = ListedNames.of(archive.source().relativize(path).toString());
        return request.asOf().isPresent() ? planAsOf(archive, rel, request) : planCurrent(archive, rel, request);
    }

    /**
     * A fleet: the backup of a directory is on the host that has it. None here: refused, naming that host;
     * one here while another host has it now: this host's copy is older, said in a WARNING.
     */
    private void elsewhere(Archive archive) {
        if (settings.get(Keys.CLUSTER).none()) {
            return;
        }
        String self = settings.get(Keys.CLUSTER_NODE_ID).orElseGet(Host::name);
        Optional<String> host;
        try {
            host = FleetView.read(settings).hostOf(archive.source()).filter(h -> !h.equals(self));
        } catch (RuntimeException e) {
            LOG.warn("the fleet ({}) cannot be read: {}; restoring from this host's backup", settings.get(Keys.CLUSTER),
                    e.getMessage());
            return;
        }
        if (host.isEmpty()) {
            return;
        }
        if (!Files.isDirectory(archive.mirror())) {
            throw new RestoreRefused("the backup of " + archive.source() + " is on the host " + host.get()
                    + ", not on this one (" + self + "): run the restore there (`" + Invocation.name() + " fleet` shows every "
                    + "directory's host)");
        }
        LOG.warn("the host {} has {} now: this host's backup of it ({}) stops at the last run here; the newest is on {}",
                host.get(), archive.source(), archive.mirror(), host.get());
    }

    private RestorePlan planCurrent(Archive archive, String rel, RestoreRequest request) throws IOException {
        Path inMirror = Names.resolveListed(archive.mirror(), rel);
        String from = "the mirror (" + archive.mirror() + ")";
        RestorePlan plan = new RestorePlan(request.target(), request.path() + " as the last run left it");
        plan.rel = rel;
        try {
            List<Archive.RunManifest> manifests = archive.manifests();
            plan.attributes = manifests.isEmpty() ? null : manifests.get(manifests.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isSymbolicLink(inMirror)) {
            String target = readLink(inMirror);
            plan.links.add(new RestorePlan.Link(request.target().resolve(inMirror.getFileName()), target));
            plan.count(from, ListedNames.raw(target).length);
        } else if (Files.isRegularFile(inMirror, LinkOption.NOFOLLOW_LINKS)) {
            plan.singles.add(new RestorePlan.Single(inMirror, request.target().resolve(inMirror.getFileName())));
            plan.count(from, size(inMirror));
        } else if (Files.isDirectory(inMirror, LinkOption.NOFOLLOW_LINKS)) {
            lookalikes(plan);
            if (textual(inMirror) && plan.lookalikes.isEmpty()) {
                plan.groups.add(new RestorePlan.Group(inMirror, null, from));
            } else {
                plan.singles.add(new RestorePlan.Single(inMirror, request.target()));
            }
            plan.compareWith = inMirror;
        } else {
            throw new RestoreFailed(request.path() + " is not in the mirror " + archive.mirror()
                    + "; see `" + Invocation.name() + " versions` and `restore --as-of` for earlier versions");
        }
        return plan;
    }

    private RestorePlan planAsOf(Archive archive, String rel, RestoreRequest request) throws IOException {
        AsOf at = request.asOf().orElseThrow();
        List<Archive.RunManifest> manifests = archive.manifests();
        if (manifests.isEmpty()) {
            throw new RestoreRefused("no run has recorded the state of " + archive.source() + " yet: nothing to "
                    + "restore --as-of");
        }
        Archive.RunManifest oldest = manifests.get(0);
        Optional<Archive.RunManifest> found = archive.manifestAt(at);
        if (found.isEmpty()) {
            throw new RestoreRefused("--as-of " + at + " is before the oldest restorable "
                    + "moment of " + archive.source() + ": " + oldest.started().toLocalDateTime() + " (the run "
                    + oldest.run() + "; the deleted area keeps " + settings.get(Keys.RETENTION_DAYS) + " days, "
                    + Keys.RETENTION_DAYS.name() + ")");
        }
        Archive.RunManifest manifest = found.get();
        if (at.run() != null && !at.run().equals(manifest.run())) {
            LOG.warn("restore: the run {} did not record {} (it failed there, or had not the directory): the state "
                    + "the run {} left", at.run(), archive.source(), manifest.run());
        }
        List<Archive.Displaced> later = archive.displaced().stream()
                .filter(d -> Layout.RUN_ORDER.compare(d.run(), manifest.run()) > 0).toList();
        RestorePlan plan = new RestorePlan(request.target(), request.path() + " as of " + at
                + " (the state the run of " + manifest.run() + " left)");
        plan.rel = rel;
        plan.attributes = manifest;
        Map<Path, BufferedWriter> lists = new HashMap<>();
        Map<Path, Path> listFiles = new HashMap<>();
        boolean[] any = {false};
        try {
            ManifestReader.read(manifest.file(), entry -> {
                String fs = entry.fileSystemPath();
                String inTarget = inTarget(fs, rel, entry.directory());
                if (inTarget == null) {
                    return;
                }
                any[0] = true;
                if (entry.directory()) {
                    return;   // made, with its owner, group, mode and time, after the files (RestoreSteps.attributes)
                }
                boolean single = !rel.isEmpty() && fs.equals(rel);
                Path holder = archive.mirror();
                String from = "the mirror (" + archive.mirror() + ")";
                for (Archive.Displaced d : later) {
                    if (Files.exists(Names.resolveListed(d.folder(), fs), LinkOption.NOFOLLOW_LINKS)) {
                        holder = d.folder();
                        from = "the deleted area of the run of " + d.run() + " (" + d.folder() + ")";
                        break;
                    }
                }
                Path copy = Names.resolveListed(holder, fs);
                Path to = Names.resolveListed(request.target(), inTarget);
                plan.count(from, entry.size());
                // what rclone lists of the restored tree: not the files named *.rclonelink, nor a link named alike
                boolean apart = entry.link() ? Files.isRegularFile(Names.resolveListed(holder, fs
                        + RcloneListing.LINK_SUFFIX), LinkOption.NOFOLLOW_LINKS) : LinkLookalikes.is(fs);
                if (!apart) {
                    plan.expected.add(entry.link() ? inTarget + RcloneListing.LINK_SUFFIX : inTarget, entry.size());
                } else if (entry.link()) {
                    plan.lookalikes.add(inTarget + RcloneListing.LINK_SUFFIX);
                }
                if (entry.link()) {
                    plan.links.add(new RestorePlan.Link(to, Files.isSymbolicLink(copy) ? readLink(copy)
                            : entry.linkTarget()));
                    return;
                }
                Path root = Names.resolveListed(holder, rel);
                if (LinkLookalikes.is(fs)) {
                    plan.lookalikes.add(inTarget);
                    plan.apartFiles.add(inTarget);
                }
                if (single || !textual(root) || LinkLookalikes.is(fs)) {
                    plan.singles.add(new RestorePlan.Single(copy, to));
                    return;
                }
                try {
                    BufferedWriter w = lists.get(root);
                    if (w == null) {
                        Path list = Files.createTempFile("ceph-backup-restore-", ".list");
                        listFiles.put(root, list);
                        w = Files.newBufferedWriter(list, ListedNames.BYTES);    // the listing's form: any name
                        lists.put(root, w);
                        plan.groups.add(new RestorePlan.Group(root, list, from));
                    }
                    w.write(inTarget);
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } finally {
            for (BufferedWriter w : lists.values()) {
                w.close();
            }
        }
        if (!any[0]) {
            throw new RestoreFailed(request.path() + " was not in the backup as of " + at
                    + " (the run of " + manifest.run() + " did not see it); see `" + Invocation.name() + " versions`");
        }
        return plan;
    }

    /**
     * Where an entry of the manifest ({@code fs}: its path in the source, relative) goes in the target of a
     * restore of {@code rel} ("" for the whole source), both in the listing's form: below a folder, the same
     * path relative to it; the folder itself, the target; a single file, its name in the target; null when it
     * is not restored.
     */
    static String inTarget(String fs, String rel, boolean folder) {
        if (rel.isEmpty()) {
            return fs;
        }
        if (fs.equals(rel)) {
            return folder ? "" : fs.substring(fs.lastIndexOf('/') + 1);
        }
        return fs.startsWith(rel + "/") ? fs.substring(rel.length() + 1) : null;
    }

    /**
     * The regular files named {@code *.rclonelink} below what a restore from the mirror brings, as the last
     * manifest has them: rclone cannot copy them (Java copies the tree then) nor list them.
     */
    private void lookalikes(RestorePlan plan) throws IOException {
        if (plan.attributes == null) {
            return;
        }
        ManifestReader.read(plan.attributes.file(), e -> {
            String in = inTarget(e.fileSystemPath(), plan.rel, e.directory());
            if (in != null && !e.directory() && !e.link() && e.kind() != ManifestEntry.LISTED
                    && LinkLookalikes.is(e.fileSystemPath())) {
                plan.lookalikes.add(in);
                plan.apartFiles.add(in);
            }
        });
    }

    /** A path rclone can be given on its command line: its bytes are text (UTF-8). */
    private static boolean textual(Path p) {
        return ListedNames.validUtf8(Names.absoluteBytes(p));
    }

    private static String readLink(Path link) {
        try {
            return Names.readLink(link);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
