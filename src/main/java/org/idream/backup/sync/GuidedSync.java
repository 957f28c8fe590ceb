package org.idream.backup.sync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.cephfs.RecursiveStats;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.manifest.Delta;
import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.model.Transfers;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Units;
import org.idream.backup.names.Names;
import org.idream.backup.rclone.RcloneExit;
import org.idream.backup.rclone.RcloneFailure;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.Listing;
import org.idream.backup.tree.Owners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-guided sync of one directory, in the order a safe sync needs: what leaves the mirror is
 * displaced into the deleted area first (so nothing is ever written through a link left in the mirror),
 * then folders and links are made, then rclone copies the changed files (route {@code guided-sync}); and
 * after it, the validation of everything it touched, the run's manifest (the last one with what changed
 * put in) and a whole-tree check that costs no walk.
 */
public final class GuidedSync implements SyncStrategy {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;
    private final RcloneSync rclone;
    private final SyncKind kind;

    /** Guided by CephFS's recursive change times ({@link DirectoryJob#signals()}, set by {@link ChangeDetection}). */
    public GuidedSync(Settings settings, RcloneSync rclone) {
        this(settings, rclone, SyncKind.RCTIME);
    }

    private GuidedSync(Settings settings, RcloneSync rclone, SyncKind kind) {
        this.settings = settings;
        this.rclone = rclone;
        this.kind = kind;
    }

    /** The same sync guided by the last manifest's comparison with a stat walk ({@link ManifestComparison}). */
    GuidedSync byManifest() {
        return new GuidedSync(settings, rclone, SyncKind.MANIFEST);
    }

    @Override
    public SyncKind kind() {
        return kind;
    }

    /** The walk of what changed since {@link DirectoryJob#since()} ({@link GuidedPlan}). */
    @Override
    public void plan(DirectoryJob job) throws IOException {
        DirectoryRun d = job.directory();
        Set<String> hardLinks = Set.copyOf(job.previous().map(DirectoryState::hardLinkDirs).orElse(List.of()));
        job.planned(GuidedPlan.of(d.readFrom(), d.mirror(), job.rclone().filters().orElseThrow(), job.since(),
                hardLinks, job.signals()));
    }

    /**
     * One attempt (the same whatever found the changes): what leaves the mirror displaced, folders and links made, then {@code rclone copy} of the
     * changed files (nothing at all is started when there are none).
     */
    @Override
    public RcloneSync.Result apply(DirectoryJob job) throws IOException, InterruptedException {
        if (!job.dryRun()) {
            job.removeDamaged();
        }
        GuidedPlan plan = job.guidedPlan();
        DirectoryRun d = job.directory();
        if (job.dryRun()) {
            LOG.info("[{}] dry run: would displace {}, make {} folder(s) and {} link(s)", d.tag(),
                    plan.displace.size(), plan.mkdirs.size(), plan.links.size());
        } else {
            change(job, plan, d);
        }
        if (plan.filesToCopy().isEmpty()) {
            return new RcloneSync.Result(0, RcloneStats.NONE, List.of());
        }
        Path list = Files.createTempFile("ceph-backup-changed-", ".list");
        try {
            Files.write(list, plan.filesToCopy(), RcloneListing.BYTES);   // the listing's form: any name
            long t0 = System.nanoTime();
            RcloneSync.Result r = rclone.call(job.rclone(), d, rclone.copyArguments(job.rclone(), d.readFrom(),
                    d.mirror(), d.deletedArea(), list, job.dryRun()));
            if (r.exitCode() == 0) {                                  // for the cost model
                job.copied(plan.filesToCopy().size(), r.stats().transfers(), (System.nanoTime() - t0) / 1e9);
            }
            return r;
        } finally {
            Files.deleteIfExists(list);
        }
    }

    /** Displaces, makes folders and links: what the mirror needs before rclone copies the changed files. */
    private void change(DirectoryJob job, GuidedPlan plan, DirectoryRun d) throws IOException {
        RcloneFilters filters = job.rclone().filters().orElseThrow();
        settings.get(Keys.RCLONE_MAX_DELETE).ifPresent(max -> {
            long leaving = leaving(d.mirror(), plan.displace);
            if (leaving > max) {
                d.synced(RcloneExit.FATAL_ERROR, Transfers.NONE);   // as rclone's --max-delete would end
                throw new RcloneFailure(RcloneExit.FATAL_ERROR, leaving + " files would leave the mirror, more than "
                        + Keys.RCLONE_MAX_DELETE.name() + " = " + max + ": nothing displaced");
            }
        });
        Displacer displacer = new Displacer(d.mirror(), d.deletedArea(), filters);
        for (String rel : plan.displace) {
            displacer.displace(rel);
        }
        for (String rel : plan.mkdirs) {
            Files.createDirectories(Names.resolveListed(d.mirror(), rel));
        }
        for (GuidedPlan.Link link : plan.links) {
            Path at = Names.resolveListed(d.mirror(), link.rel());
            Files.createDirectories(at.getParent());
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSymbolicLink(at) && Names.readLink(at).equals(link.target())) {
                    continue; // made by an earlier attempt of this run
                }
                displacer.displace(link.rel());
            }
            Names.symlink(at, link.target());
            Files.getFileAttributeView(at, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(link.mtime(), null, null);
        }
        d.displaced(displacer.moved());
        if (displacer.moved() > 0 || !plan.mkdirs.isEmpty() || !plan.links.isEmpty()) {
            LOG.info("[{}] {} file(s) displaced into the deleted area, {} folder(s) and {} link(s) made", d.tag(),
                    displacer.moved(), plan.mkdirs.size(), plan.links.size());
        }
    }

    /** Files and links that displacing these entries moves out of the mirror. */
    private static long leaving(Path mirror, List<String> displace) {
        long[] n = {0};
        for (String rel : displace) {
            try {
                Files.walkFileTree(Names.resolveListed(mirror, rel), new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        n[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                n[0]++;
            }
        }
        return n[0];
    }

    /**
     * After the sync: the changed parts of both trees (every folder compared or taken, one level), the run's
     * manifest (the last run's with the changed parts put in), and a whole-tree check that costs no walk:
     * spot checks of the mirror against the manifest, and (no filter, no special or hard-linked files)
     * CephFS's counts of the source against the manifest's (guided by rctimes only; {@code drift}: CephFS propagates its counts
     * lazily, so not a failure, but the next run syncs in full).
     */
    @Override
    public Listings validate(DirectoryJob job) throws IOException {
        LOG.info("[{}] validating what the sync touched; the manifest from the last one and the changes",
                job.directory().tag());
        GuidedPlan plan = job.guidedPlan();
        DirectoryRun d = job.directory();
        RcloneFilters filters = job.rclone().filters().orElseThrow();
        TreeSummary.Builder sourceParts = new TreeSummary.Builder();
        TreeSummary.Builder mirrorParts = new TreeSummary.Builder();
        Owners owners = new Owners();
        Set<String> relisted = new TreeSet<>();
        for (var listed : plan.listed.entrySet()) {
            String dir = listed.getKey();
            relisted.add(dir);
            for (Entry e : listed.getValue()) {
                if (e.kind() != Entry.Kind.DIR) {
                    sourceParts.add(Listing.join(dir, e.remoteName()), e.size());
                }
            }
            for (Entry m : Listing.considered(d.mirror(), dir, filters).values()) {
                if (m.kind() == Entry.Kind.FILE || m.kind() == Entry.Kind.LINK) {
                    mirrorParts.add(Listing.join(dir, m.remoteName()), m.size());
                }
            }
        }
        List<String> removed = plan.removedTrees.stream().map(t -> t + "/").toList();
        Path previous = Layout.manifestFile(settings.get(Keys.DELETED_ROOT).resolve(job.previous().orElseThrow().run()),
                d.source());
        Manifest.Header last = ManifestReader.header(previous);
        String base = last.delta() ? last.base() : last.run();
        Delta since = ManifestReader.delta(previous);          // what changed since the base: small
        OffsetDateTime started = job.run().started().toOffsetDateTime();
        if (plan.listed.isEmpty() && plan.filesToCopy().isEmpty() && job.signals() instanceof ManifestComparison c) {
            // nothing changed: the last delta again (the comparison read the whole state: its totals and a sample
            // to spot-check)
            try (ManifestWriter recorder = new ManifestWriter(job.manifestWork(), d.source(), job.run().name(), started,
                    d.mirror(), Manifest.VERSION, base)) {
                since.then(List.of(), List.of(), 0).writeTo(recorder);
                recorder.finish();
            }
            LOG.info("[{}] nothing changed: the manifest is the last one's {} record(s) on the base of run {} ({} "
                    + "entries)", d.tag(), since.records(), base, c.manifestEntries());
            return new Listings(sourceParts.build(), mirrorParts.build(), job.manifest(), job.manifestWork(), null,
                    c.recordedTotals(), c.spotChecks().problems(d.mirror()), null);
        }
        // this night's delta: the last one with the folders listed again (one manifest entry each of their
        // entries) and the trees gone put in; what it keeps of the last state is what stays as recorded
        Delta.Next next = since.then(relisted, removed, plan.listed.values().stream().mapToLong(List::size).sum());
        TreeSummary.Builder whole = new TreeSummary.Builder();
        SpotChecks spotChecks = new SpotChecks(spotCheckRandom(job));
        // what the last run recorded of the entries of the folders looked at again (bounded by the plan's
        // GuidedPlan.maxListed): their attributes and hashes where they did not change
        Map<String, ManifestEntry> before = new HashMap<>();
        long[] entries = {0};
        ManifestReader.read(previous, e -> {
            entries[0]++;
            if (!next.keeps(e)) {
                if (relisted.contains(e.parent())) {
                    before.put(e.path(), e);
                }
                return;
            }
            if (!e.directory()) {
                whole.add(e.path(), e.size());
            }
            spotChecks.offer(e);
        });
        List<ManifestEntry> fresh = recorded(plan, before, owners);
        Hashes hashes = new Hashes();
        Set<String> copied = new HashSet<>(plan.filesToCopy());
        List<ManifestEntry> now = new ArrayList<>(fresh.size());
        for (ManifestEntry e : fresh) {
            if (e.file()) {
                // copied (or looked at by rclone) this run: read; else as the last run recorded it
                ManifestEntry b = before.get(e.path());
                boolean same = !copied.contains(e.path()) && b != null && b.file() && b.sha256() != null
                        && b.size() == e.size() && b.modTime().equals(e.modTime());
                e = e.withSha256(same ? b.sha256() : hashes.hash(d.mirror(), e));
            }
            now.add(e);
            if (!e.directory()) {
                whole.add(e.path(), e.size());
            }
        }
        if (hashes.read() > 0) {
            LOG.info("[{}] content hashes: {} file(s) read ({})", d.tag(), hashes.read(),
                    Units.bytes(hashes.bytesRead()));
        }
        boolean delta = next.worthIt(entries[0]);
        try (ManifestWriter recorder = new ManifestWriter(job.manifestWork(), d.source(), job.run().name(), started,
                d.mirror(), Manifest.VERSION, delta ? base : null)) {
            if (delta) {
                next.writeTo(recorder);
                now.forEach(recorder::write);
            } else {
                ManifestReader.read(previous, e -> {
                    if (next.keeps(e)) {
                        recorder.write(e);
                    }
                });
                now.forEach(recorder::write);
            }
            recorder.finish();
        }
        LOG.info(delta ? "[{}] manifest: {} record(s) of change since the base, run {}'s manifest ({} entries)"
                : "[{}] manifest written whole: {} record(s) of change since run {}'s manifest, more than a quarter "
                + "of its {} entries (the next nights' base)", d.tag(), next.records(), base, entries[0]);
        TreeSummary mirrorWhole = whole.build();
        TreeSummary sourceWhole = null;
        String drift = null;
        boolean irregular = plan.irregular() || job.previous().map(DirectoryState::irregular).orElse(true);
        if (kind == SyncKind.RCTIME && filters.none() && !irregular) {
            RecursiveStats.Totals t = job.signals().totals(d.readFrom());
            sourceWhole = new TreeSummary(t.files(), t.bytes(), 0);
            if (t.files() != mirrorWhole.files() || t.bytes() != mirrorWhole.bytes()) {
                // CephFS propagates its counts lazily, a snapshot's as the live tree's (measured on the lab: right
                // after writes through another client a snapshot counted 1 789 of 2 000 files, 0 bytes, and caught
                // up in place within 0.4 to 6 s): read again for a while, then count by a walk of the source (an
                // lstat an entry, no attribute read), which tells a lag from a gap the guided copy left
                RecursiveStats.Totals again = caughtUp(job, d.readFrom(), mirrorWhole);
                if (again != null) {
                    LOG.info("[{}] CephFS counted {} files, {} bytes in the source, the mirror holds {}; its counts "
                            + "caught up since", d.tag(), t.files(), t.bytes(), mirrorWhole.describe());
                    sourceWhole = new TreeSummary(again.files(), again.bytes(), 0);
                } else {
                    long walkStart = System.nanoTime();
                    TreeSummary counted = Listing.totals(d.readFrom());
                    double seconds = (System.nanoTime() - walkStart) / 1e9;
                    if (counted.files() == mirrorWhole.files() && counted.bytes() == mirrorWhole.bytes()) {
                        LOG.info("[{}] CephFS counts {} files, {} bytes in the source, the mirror holds {}: a walk of "
                                + "the source counts what the mirror holds (CephFS's counts lag; {} s)", d.tag(),
                                t.files(), t.bytes(), mirrorWhole.describe(), String.format("%.1f", seconds));
                        sourceWhole = counted;
                    } else {
                        drift = "CephFS counts " + t.files() + " files, " + t.bytes() + " bytes in the source, a walk "
                                + "of it " + counted.files() + " files, " + counted.bytes() + " bytes, the mirror holds "
                                + mirrorWhole.describe();
                    }
                }
            }
        }
        return new Listings(sourceParts.build(), mirrorParts.build(), job.manifest(), job.manifestWork(), sourceWhole,
                mirrorWhole, spotChecks.problems(d.mirror()), drift);
    }

    /** How long the counts are read again when they differ from the mirror's, once a second (lab: caught up in 6 s). */
    static Duration countsWait = Duration.ofSeconds(10);

    /** CephFS's counts of {@code dir} once they equal the mirror's, read again once a second; null if they do not. */
    private static RecursiveStats.Totals caughtUp(DirectoryJob job, Path dir, TreeSummary mirror) throws IOException {
        long deadline = System.nanoTime() + countsWait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading CephFS's counts of " + dir);
            }
            RecursiveStats.Totals t = job.signals().totals(dir);
            if (t.files() == mirror.files() && t.bytes() == mirror.bytes()) {
                return t;
            }
        }
        return null;
    }

    /**
     * The manifest entries of the folders the plan listed, in their order, owners and modes from the source
     * (rclone copies neither); an entry that did not change since the last run ({@code before}) keeps its record
     * ({@link Entry#manifestEntries(String, List, Owners, java.util.function.Function)}): a snapshot's mkdir stamps
     * the root, so every night looks at the root's folders again, and through ceph-fuse each attribute read is a
     * round trip to the MDS.
     */
    private static List<ManifestEntry> recorded(GuidedPlan plan, Map<String, ManifestEntry> before, Owners owners)
            throws IOException {
        List<ManifestEntry> out = new ArrayList<>();
        for (var listed : plan.listed.entrySet()) {
            out.addAll(Entry.manifestEntries(listed.getKey(), listed.getValue(), owners, before::get));
        }
        return out;
    }

    /** The spot checks' choice, seeded by the run (the same run checks the same entries). */
    static Random spotCheckRandom(DirectoryJob job) {
        return new Random(job.run().started().toEpochSecond());
    }
}
