package org.idream.backup.cli;

import java.util.concurrent.Callable;

import org.idream.backup.app.BackupCamel;
import org.idream.backup.app.OneShot;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.RunLog;
import picocli.CommandLine.Command;

/** {@code bin/backup check [--config FILE]}: what a run checks before its syncs; syncs nothing. */
@Command(name = "check", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = {"Validates the configuration and runs what a run checks before it syncs: the run lock (taken "
            + "and released at once), rclone and the exclude file, the preconditions (the mount, its listing, the "
            + "cluster's health, the backup disk) and every source. Syncs nothing, writes no log file.",
            "Exits with the code a run would have: 0, 1 (a source missing or unreadable), 2 (configuration), 3 (a "
                + "run holds the lock), 4 (a precondition)."})
public final class CheckCommand extends ConfiguredCommand implements Callable<Integer> {

    public CheckCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        System.out.println("check: the configuration is valid (" + Keys.ALL.size() + " keys; `" + context().command() + " config` "
                + "shows each value and where it came from)");
        try (OneShot camel = OneShot.start(home(), settings, false, false, context().interruption())) {
            return camel.request(BackupCamel.CHECK_ROUTE, null, Integer.class);
        }
    }
}
