package org.idream.backup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.Versions;
import org.idream.backup.outcome.RunOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/backup versions SOURCE_PATH}: every version of one file the backup holds, newest first. */
@Command(name = "versions", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Lists the versions of one file the backup holds, newest first: the mirror's, then each "
                + "one a run displaced into the deleted area.")
public final class VersionsCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE_PATH", description = "a file of a source, as it was on the Ceph mount")
    private Path path;

    public VersionsCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        Path p = path.toAbsolutePath().normalize();
        List<Versions.Version> versions = Versions.of(new RestorePlanner(settings()), p);
        if (versions.isEmpty()) {
            System.out.println("no version of " + p + " in the backup");
            return RunOutcome.FAILED.exitCode();
        }
        System.out.println(versions.size() + " version(s) of " + p + ", newest first:");
        versions.forEach(v -> System.out.println("  " + v.describe()));
        return 0;
    }
}
