package org.idream.backup.cli;

import java.util.concurrent.Callable;

import org.idream.backup.config.Keys;
import org.idream.backup.logging.RunLog;
import org.idream.backup.verify.Slice;
import org.idream.backup.verify.VerifySteps;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bin/backup verify [--read-data | --read-data-subset N/M] [--no-lock]}: is what the backup stored intact? */
@Command(name = "verify", mixinStandardHelpOptions = true, synopsisHeading = "usage: ", sortOptions = false,
        description = {"Checks what the backup stored against what its runs recorded: every entry of each mirror "
            + "(present, its size, a link's target) and every version in the deleted area (its size), and with "
            + "--read-data the content of each file against its recorded SHA-256.",
            "Exit 0 when all is well, 1 when anything is damaged or missing (each named once), 3 while a backup "
            + "runs. The next backup copies a damaged file of a mirror again from its source."})
public final class VerifyCommand extends ConfiguredCommand implements Callable<Integer> {
    static final class Reading {
        @Option(names = "--read-data", description = "read every file whole and compare it with its recorded hash")
        boolean all;

        @Option(names = "--read-data-subset", paramLabel = "N/M",
                description = "read the files of the Nth of M slices whole (M runs of 1..M read all of them)")
        String subset;
    }

    @ArgGroup(exclusive = true)
    private Reading reading;

    @Option(names = "--no-lock", description = "do not wait for the run lock (the result may show a backup's work "
            + "in progress)")
    private boolean noLock;

    @Spec
    private CommandSpec spec;

    public VerifyCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        var settings = settings();
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        Slice slice;
        try {
            slice = reading == null ? Slice.NONE : reading.all ? Slice.ALL : Slice.parse(reading.subset);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--read-data-subset " + e.getMessage());
        }
        return new VerifySteps(settings, null).verify(slice, !noLock);
    }
}
