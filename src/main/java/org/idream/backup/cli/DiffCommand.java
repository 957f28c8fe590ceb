package org.idream.backup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.names.ListedNames;
import org.idream.backup.restore.Archive;
import org.idream.backup.restore.AsOf;
import org.idream.backup.restore.ManifestDiff;
import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.RestoreRefused;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ceph-backup diff [FROM] [TO] [PATH]}: what changed between two restore points, from their manifests. */
@Command(name = "diff", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = {"What changed between two restore points: entries added (+), removed (-), changed in content "
                + "(M: size, time or hash, a link's target, the kind) or in metadata only (m: mode, owner, ACLs, "
                + "attributes), with counts. Read from the runs' manifests: nothing is restored or read from the "
                + "backup.", "FROM and TO: a run's name or any --as-of time (default: the last two runs; TO alone "
                + "missing: the last run). PATH: a source or a folder of one (default: every source)."})
public final class DiffCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(arity = "0..3", paramLabel = "FROM TO PATH", description = "restore points, then a path (absolute)")
    private List<String> args = new ArrayList<>();

    public DiffCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        RestorePlanner planner = new RestorePlanner(settings);
        Path path = null;
        List<String> points = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("/") && path == null) {
                path = Path.of(a).normalize();
            } else {
                points.add(a);
            }
        }
        if (points.size() > 2) {
            throw new RestoreRefused("diff takes two restore points and a path at most: " + String.join(" ", args));
        }
        List<Path> sources = path == null ? settings.get(Keys.SOURCES) : List.of(planner.archive(path).source());
        for (Path source : sources) {
            Archive archive = planner.archive(source);
            List<Archive.RunManifest> runs = archive.manifests();
            Archive.RunManifest from;
            Archive.RunManifest to;
            if (points.isEmpty()) {
                if (runs.size() < 2) {
                    System.out.println("== " + source + ": " + runs.size() + " run(s) recorded it: nothing to compare");
                    continue;
                }
                from = runs.get(runs.size() - 2);
                to = runs.get(runs.size() - 1);
            } else {
                from = at(archive, points.get(0));
                to = points.size() > 1 ? at(archive, points.get(1)) : runs.get(runs.size() - 1);
            }
            String under = path == null || path.equals(source) ? "" : ListedNames.of(source.relativize(path).toString());
            List<ManifestDiff.Change> changes = ManifestDiff.between(from.file(), to.file(), under);
            System.out.println("== " + (path == null ? source : path) + ": run " + from.run() + " -> run " + to.run());
            changes.forEach(c -> System.out.println(c.describe()));
            ManifestDiff.Counts n = ManifestDiff.count(changes);
            System.out.println(n.added() + " added, " + n.removed() + " removed, " + n.content() + " changed in content, "
                    + n.metadata() + " in metadata only");
        }
        return 0;
    }

    private static Archive.RunManifest at(Archive archive, String point) throws IOException {
        return archive.manifestAt(AsOf.parse(point)).orElseThrow(() -> new RestoreRefused("no run recorded "
                + archive.source() + " at or before " + point + " (`runs` lists the restore points)"));
    }
}
