package org.idream.backup.cli;

import java.util.concurrent.Callable;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.fleet.FleetStore;
import org.idream.backup.fleet.FleetView;

import picocli.CommandLine.Command;

/** {@code bin/backup fleet [--config FILE]}: every directory of the fleet, its host, its last success, its next firing. */
@Command(name = "fleet", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Prints the fleet (" + Keys.Names.CLUSTER + ") as its engine holds it: the hosts that are up, and for every "
                + "directory the host that has it, its last run and outcome, its last success and its next firing. "
                + "Reads only; joins nothing. Exit 4 when the engine cannot be reached.")
public final class FleetCommand extends ConfiguredCommand implements Callable<Integer> {

    public FleetCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() {
        Settings settings = settings();
        if (settings.get(Keys.CLUSTER).none()) {
            System.out.println("no fleet: " + Keys.CLUSTER.name() + " = none (this host backs up every directory itself)");
            return 0;
        }
        try {
            FleetView.read(settings).lines().forEach(System.out::println);
            return 0;
        } catch (FleetStore.FleetUnavailable e) {
            System.err.println(context().command() + ": " + e.getMessage());
            return 4;
        }
    }
}
