package org.idream.backup.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.Layout;
import org.idream.backup.model.RunPlan;
import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.idream.backup.tree.ContentHash;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneSetupStep;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.run.DirectorySteps;
import org.idream.backup.safety.Interruption;

/**
 * One source directory backed up by the real strategies and the real rclone, step by step as the route
 * {@code backup-directory} runs them (decide, the record, apply, validate, the manifest, the record), with
 * the recursive change times of {@link WalkedStats}: the change-guided sync on any file system, no lab.
 */
final class SyncHarness {
    final Path source;
    final Path mainRoot;
    final Path deletedRoot;
    final Settings settings;
    final WalkedStats stats = new WalkedStats();
    final ChangeDetection detection;
    private final RcloneSetup setup;
    private final DirectorySteps steps;

    SyncHarness(Path root, Path source, Map<String, String> keys) throws Exception {
        this.source = source;
        this.mainRoot = root.resolve("backup/main");
        this.deletedRoot = root.resolve("backup/deleted");
        Properties p = new Properties();
        p.setProperty("backup.sources", source.toString());
        p.setProperty("backup.main-root", mainRoot.toString());
        p.setProperty("backup.deleted-root", deletedRoot.toString());
        p.setProperty("backup.log-dir", root.resolve("logs").toString());
        p.setProperty("backup.lock-file", root.resolve("backup.lock").toString());
        p.setProperty("backup.exclude-file", "");
        p.setProperty("ceph.mount-point", "");
        p.setProperty("ceph.status-command", "");
        p.setProperty("backup.rctime-margin", "0s");
        p.putAll(keys);
        settings = Settings.load(Path.of("config/application.properties"), null, Map.of(), p);
        Files.createDirectories(Layout.directoryLocks(settings.get(Keys.LOCK_FILE)));   // as the run lock's step does
        setup = new RcloneSetupStep(settings).prepare();
        RcloneSync rclone = new RcloneSync(settings, (tag, s) -> { });
        FullSync full = new FullSync(rclone);
        detection = new ChangeDetection(settings, full, new GuidedSync(settings, rclone), stats);
        steps = new DirectorySteps(settings, new Interruption());
    }

    /** A job of a new run, decided (and planned) as the route does it; {@code full}: {@code --full}. */
    DirectoryJob decide(boolean full) throws IOException {
        BackupRun run = new BackupRun(RunPlan.of(ZonedDateTime.now(Clocks.clock()), false, full, List.of(source),
                mainRoot, deletedRoot), null);
        DirectoryJob job = steps.job(run, run.directories().get(0), setup);
        steps.start(job);
        detection.decide(job);
        return job;
    }

    /** A whole run of the directory; the job, after its record was written. */
    DirectoryJob run(boolean full) throws Exception {
        DirectoryJob job = decide(full);
        Path state = Path.of(detection.stateFile(job));
        Files.createDirectories(state.getParent());
        Files.writeString(state, detection.unfinished(job));
        steps.prepareSync(job);
        steps.inspectSync(job, job.strategy().apply(job));
        Listings l = steps.list(job);
        Files.move(l.manifestWork(), l.manifest(), StandardCopyOption.REPLACE_EXISTING);
        steps.validate(job);
        steps.succeeded(job);
        Files.writeString(state, detection.finished(job));
        return job;
    }

    /**
     * A tree as its entries: each relative path (in the listing's form, byte for byte) with its kind and
     * content (a link: its target, byte for byte).
     */
    static Map<String, String> describe(Path root) throws IOException {
        return walk(root, (f, attrs) -> attrs.isSymbolicLink() ? "link -> " + ListedNames.escaped(Names.readLink(f))
                : "file " + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
    }

    /** How a walk describes a file or link. */
    private interface Describer {
        String of(Path f, BasicFileAttributes attrs) throws IOException;
    }

    /** A tree as its entries: each relative path (the listing's form, escaped) with "dir" or what {@code file} says. */
    private static Map<String, String> walk(Path root, Describer file) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(root)) {
                    out.put(rel(root, d), "dir");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                out.put(rel(root, f), file.of(f, attrs));
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /**
     * What a manifest records of a tree, read back as the whole state (a delta with its base): each path with
     * its kind, a file's size, modification time (ns) and content hash, a link's target. Each path once.
     */
    static Map<String, String> recorded(Path manifest) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (ManifestEntry e : ManifestReader.entries(manifest)) {
            StringBuilder rel = new StringBuilder();
            for (String name : e.fileSystemPath().split("/")) {
                rel.append(rel.length() == 0 ? "" : "/").append(ListedNames.escaped(name));
            }
            String what = e.directory() ? "dir" : e.link() ? "link -> " + ListedNames.escaped(e.linkTarget())
                    : "file " + e.size() + " " + e.modTime() + " " + e.sha256();
            if (out.put(rel.toString(), what) != null) {
                throw new AssertionError(manifest + " lists " + rel + " twice");
            }
        }
        return out;
    }

    /** The same as an independent reader sees it: lstat of the source, the content of the mirror's copy. */
    static Map<String, String> recordable(Path source, Path mirror) throws IOException {
        return walk(source, (f, attrs) -> attrs.isSymbolicLink() ? "link -> " + ListedNames.escaped(Names.readLink(f))
                : "file " + attrs.size() + " " + attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
                + ContentHash.sha256(mirror.resolve(source.relativize(f))));
    }

    private static String rel(Path root, Path p) {
        StringBuilder rel = new StringBuilder();
        for (Path name : root.relativize(p)) {
            rel.append(rel.length() == 0 ? "" : "/").append(ListedNames.escaped(ListedNames.of(Names.bytes(name))));
        }
        return rel.toString();
    }
}
