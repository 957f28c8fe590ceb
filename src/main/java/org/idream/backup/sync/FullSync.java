package org.idream.backup.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.idream.backup.manifest.Manifest;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.manifest.ManifestWriter;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.SyncKind;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.model.Units;
import org.idream.backup.names.Names;
import org.idream.backup.process.Causes;
import org.idream.backup.rclone.LinkLookalikes;
import org.idream.backup.rclone.RcloneExit;
import org.idream.backup.rclone.RcloneFilters;
import org.idream.backup.rclone.RcloneListing;
import org.idream.backup.rclone.RcloneLog;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.tree.Entry;
import org.idream.backup.tree.Listing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full sync: {@code rclone sync} of the whole tree (its snapshot). Planned by one walk of the source
 * ({@link PreScan}: the entries whose kind changed, the source's side of the validation, the manifest);
 * applied by displacing those entries, then rclone; validated by rclone's listing of the mirror.
 */
public final class FullSync implements SyncStrategy {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final RcloneSync rclone;
    /** Runs the mirror's listing beside the source's; blocking work, so not the common fork-join pool. */
    private final ExecutorService listings = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mirror-listing");
        t.setDaemon(true);
        return t;
    });

    public FullSync(RcloneSync rclone) {
        this.rclone = rclone;
    }

    @Override
    public SyncKind kind() {
        return SyncKind.FULL;
    }

    /** The walk before the sync; it records the run's manifest of the mirror (not in a dry run). */
    @Override
    public void plan(DirectoryJob job) throws IOException {
        DirectoryRun d = job.directory();
        FullPlan plan;
        if (job.rclone().filters().isEmpty()) {
            plan = FullPlan.withoutWalk("the exclude file's rules cannot be applied outside rclone");
        } else {
            ManifestWriter manifest = job.dryRun() ? null : new ManifestWriter(job.manifestWork(), d.source(),
                    job.run().name(), job.run().started().toOffsetDateTime(), d.mirror(), Manifest.VERSION);
            Map<String, ManifestEntry> before = manifest == null ? Map.of() : lastRecords(job.previousManifest(), d.tag());
            plan = PreScan.run(d.readFrom(), d.mirror(), job.rclone().filters().get(), manifest, before::get);
        }
        if (!plan.complete()) {
            LOG.warn("[{}] the walk before the sync stopped ({}): rclone displaces with --delete-before instead, and "
                    + "lists the source for the validation", d.tag(), plan.incompleteBecause());
        }
        job.planned(plan);
    }

    /**
     * The last run's records by their path, for the walk to keep those of the entries that did not change since
     * (their attributes are not read again); none when there is no last manifest, or when it holds more entries than
     * a guided run may list ({@link GuidedPlan#maxListed}): the walk then reads every entry's attributes, in memory
     * that does not grow with the tree.
     */
    static Map<String, ManifestEntry> lastRecords(Path manifest, String tag) {
        if (manifest == null || !Files.isRegularFile(manifest)) {
            return Map.of();
        }
        Map<String, ManifestEntry> records = new HashMap<>();
        try {
            ManifestReader.read(manifest, e -> {
                if (records.size() >= GuidedPlan.maxListed) {
                    throw new GuidedPlan.TooLarge(records.size());
                }
                records.put(e.path(), e);
            });
            return records;
        } catch (GuidedPlan.TooLarge e) {
            LOG.info("[{}] the walk reads every entry's attributes: the last manifest holds more than {} entries",
                    tag, GuidedPlan.maxListed);
        } catch (IOException | RuntimeException e) {
            LOG.warn("[{}] the walk reads every entry's attributes: the last manifest cannot be read ({})", tag,
                    e.getMessage());
        }
        return Map.of();
    }

    /**
     * One attempt: the mirror's entries whose kind changed in the source displaced first (still there, and
     * still of another kind: an earlier attempt may have made them right), then {@code rclone sync}.
     */
    @Override
    public RcloneSync.Result apply(DirectoryJob job) throws IOException, InterruptedException {
        if (!job.dryRun()) {
            job.removeDamaged();
        }
        DirectoryRun d = job.directory();
        FullPlan plan = job.fullPlan();
        if (!plan.kindChanges().isEmpty() && !job.dryRun()) {
            long moved = displace(plan.kindChanges(), d.mirror(), d.deletedArea(), job.rclone().filters().orElseThrow());
            d.displaced(moved);
            if (moved > 0) {
                LOG.info("[{}] {} entr{} of the mirror changed kind in the source (file, link, folder): displaced "
                        + "first", d.tag(), moved, moved == 1 ? "y" : "ies");
            }
        }
        if (plan.lookalikes().isEmpty()) {
            return rclone.call(job.rclone(), d, rclone.arguments(job.rclone(), d.readFrom(), d.mirror(),
                    d.deletedArea(), job.dryRun(), !plan.complete()));
        }
        Path apart = LinkLookalikes.excludeFile(plan.lookalikes());
        try {
            RcloneSetup setup = job.rclone().apart(apart);
            RcloneSync.Result r = rclone.call(setup, d, rclone.arguments(setup, d.readFrom(), d.mirror(),
                    d.deletedArea(), job.dryRun(), !plan.complete()));
            if (RcloneExit.of(r.exitCode()) == RcloneExit.SUCCESS && !job.dryRun()) {
                LookalikeCopies copies = new LookalikeCopies(d.readFrom(), d.mirror(), d.deletedArea(),
                        job.rclone().filters().orElseThrow());
                copies.apply(plan.lookalikes());
                d.displaced(copies.displaced());
                LOG.info("[{}] {} file(s) named *{} (rclone takes them for links) kept apart: {} copied by this "
                        + "product, {} displaced", d.tag(), plan.lookalikes().size(), RcloneListing.LINK_SUFFIX,
                        copies.copied(), copies.displaced());
            }
            return r;
        } finally {
            Files.deleteIfExists(apart);
        }
    }

    /** Displaces the mirror's entries that are still of another kind than the source's; the files and links moved. */
    static long displace(List<FullPlan.KindChange> changes, Path mirror, Path deletedArea, RcloneFilters filters)
            throws IOException {
        Displacer displacer = new Displacer(mirror, deletedArea, filters);
        for (FullPlan.KindChange c : changes) {
            Entry m = Listing.entry(Names.resolveListed(mirror, c.rel()));
            if (m != null && m.kind() != c.kind()) {
                displacer.displace(c.rel());
            }
        }
        return displacer.moved();
    }

    /**
     * Both sides: the source as the walk saw it (its snapshot has not changed since; rclone lists it when the
     * walk could not), and the mirror listed by rclone. The manifest is the walk's (with owners and modes)
     * when the mirror holds exactly what the walk saw, else rclone's listing of the mirror.
     */
    @Override
    public Listings validate(DirectoryJob job) throws IOException, InterruptedException {
        DirectoryRun d = job.directory();
        FullPlan plan = job.fullPlan();
        boolean walked = plan != null && plan.complete();
        LOG.info("[{}] validating: listing {}the mirror", d.tag(), walked ? "" : "the source and ");
        if (plan == null || plan.lookalikes().isEmpty()) {
            return validate(job, plan, walked, new RcloneListing(job.rclone()));
        }
        Path apart = LinkLookalikes.excludeFile(plan.lookalikes());
        try {
            return validate(job, plan, walked, new RcloneListing(job.rclone().apart(apart)));
        } finally {
            Files.deleteIfExists(apart);
        }
    }

    private Listings validate(DirectoryJob job, FullPlan plan, boolean walked, RcloneListing listing)
            throws IOException, InterruptedException {
        DirectoryRun d = job.directory();
        Path work = job.manifestWork();
        Path listed = job.manifest().resolveSibling("." + job.manifest().getFileName() + ".listed");
        CompletableFuture<TreeSummary> mirror = CompletableFuture.supplyAsync(() -> {
            try (ManifestWriter recorder = new ManifestWriter(listed, d.source(), job.run().name(),
                    job.run().started().toOffsetDateTime(), d.mirror(), Manifest.LISTING_VERSION)) {
                TreeSummary t = listing.summarize(d.mirror(), new RcloneLog(d.tag() + " mirror listing", s -> { }),
                        recorder);
                recorder.finish();
                return t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, listings);
        TreeSummary source = walked ? plan.source()
                : listing.summarize(d.readFrom(), new RcloneLog(d.tag() + " source listing", s -> { }));
        TreeSummary m;
        try {
            m = mirror.get();
        } catch (ExecutionException e) {
            throw Causes.io(e.getCause(), "the mirror's listing");
        }
        if (walked && plan.manifestWork() != null && source.sameAs(m)) {
            Files.deleteIfExists(listed);   // the walk recorded into the work file: now each file's hash
            Hashes hashes = new Hashes();
            hashes.fill(work, d.mirror(), job.previousManifest(), d.source(), job.run().name(),
                    job.run().started().toOffsetDateTime());
            LOG.info("[{}] content hashes: {} file(s) read ({}), the others' carried from the last run", d.tag(),
                    hashes.read(), Units.bytes(hashes.bytesRead()));
        } else {
            if (walked && plan.manifestWork() != null) {
                LOG.warn("[{}] the mirror does not hold what the walk of the source saw: its manifest is rclone's "
                        + "listing of it, without owners and modes", d.tag());
                Files.deleteIfExists(plan.manifestWork());
            }
            Files.move(listed, work, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> problems = plan == null ? List.of()
                : LookalikeCopies.check(plan.lookalikes(), d.readFrom(), d.mirror());
        return new Listings(source, m, job.manifest(), work, source, m, problems, null);
    }
}
