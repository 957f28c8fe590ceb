package org.idream.backup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Clocks;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/backup versions SOURCE_PATH}: every version of one file the backup holds, newest first. */
@Command(name = "versions", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = {"Lists the versions of one file the backup holds, newest first: the mirror's, then each "
                + "one a run displaced into the deleted area.", "For a folder (or a whole source): every run that "
                + "recorded it, with its files and bytes then, and the --as-of that restores it."})
public final class VersionsCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE_PATH", description = "a file of a source, as it was on the Ceph mount")
    private Path path;

    public VersionsCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        Path p = path.toAbsolutePath().normalize();
        Settings settings = settings();
        RestorePlanner planner = new RestorePlanner(settings);
        if (isFolder(planner, p)) {
            // a restore point older than the window is one retention kept (backup.keep-*)
            OffsetDateTime window = OffsetDateTime.now(Clocks.clock()).minusDays(settings.get(Keys.RETENTION_DAYS));
            return print(Versions.ofFolder(planner, p), v -> v.describe() + (v.started() != null && v.started()
                    .isBefore(window) ? "   (kept: " + Keys.Names.KEEP + ")" : ""),
                    "no run recorded " + p + " in the backup", "restore point(s) of the folder " + p);
        }
        return print(Versions.of(planner, p), Versions.Version::describe, "no version of " + p + " in the backup",
                "version(s) of " + p);
    }

    /** A list, newest first, under a line saying how many; exit 1 when it is empty. */
    private static <T> int print(List<T> items, Function<T, String> describe, String none,
            String what) {
        if (items.isEmpty()) {
            System.out.println(none);
            return RunOutcome.FAILED.exitCode();
        }
        System.out.println(items.size() + " " + what + ", newest first:");
        items.forEach(v -> System.out.println("  " + describe.apply(v)));
        return 0;
    }

    /** A whole source, or a folder in its mirror (or in the source, when the mirror has lost it). */
    private static boolean isFolder(RestorePlanner planner, Path p) {
        var archive = planner.archive(p);
        String rel = archive.source().relativize(p).toString();
        Path inMirror = rel.isEmpty() ? archive.mirror() : archive.mirror().resolve(rel);
        return rel.isEmpty() || Files.isDirectory(inMirror, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }
}
