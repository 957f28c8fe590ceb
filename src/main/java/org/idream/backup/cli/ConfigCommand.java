package org.idream.backup.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/backup config [--config FILE] [--schema]}: every effective key, its value and where it came from. */
@Command(name = "config", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Prints every key, its effective value and where it came from (-D, the environment, your "
                + "--config file, the shipped file); refuses a bad configuration as a run would (exit 2).")
public final class ConfigCommand extends ConfiguredCommand implements Callable<Integer> {
    @Option(names = "--schema", description = "print the shipped configuration file as the schema generates it "
            + "(every key with its type, default and description)")
    private boolean schema;

    public ConfigCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (schema) {
            System.out.print(Keys.propertiesFile());
            return 0;
        }
        Settings settings = settings();
        ConfigOptions.OperatorFile operator = operatorFile();
        System.out.println(operator.path() == null
                ? "# configuration: the shipped defaults alone (no --config, no $" + ConfigOptions.CONFIG_VARIABLE
                        + ", no " + home().resolve("backup.properties") + ")"
                : "# configuration: " + operator.path() + " (" + operator.found() + "), over the shipped defaults");
        List<String[]> rows = settings.effective();
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            System.out.printf("%-" + width + "s = %s    (%s)%n", r[0], r[1], r[2]);
        }
        return 0;
    }
}
