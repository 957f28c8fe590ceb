package org.idream.backup.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.report.Report;
import picocli.CommandLine.Command;

/** {@code bin/backup runs [--config FILE]}: the runs on record, and which are restore points. */
@Command(name = "runs", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Lists the runs on record (their reports in " + Keys.Names.LOG_DIR + "), oldest first: start, end, outcome, "
                + "how each directory was synced, and the --as-of that restores the state a run left (its name; any time "
                + "printed for it restores the same; while its "
                + "manifests are kept: " + Keys.Names.RETENTION_DAYS + ").")
public final class RunsCommand extends ConfiguredCommand implements Callable<Integer> {
    private static final String FORMAT = "%-22s %-19s  %-19s  %-20s %-16s %s";

    public RunsCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() {
        Settings settings = settings();
        Path logs = settings.get(Keys.LOG_DIR);
        List<String> lines = new ArrayList<>();
        Report.all(logs, (f, e) -> System.err.println(context().command() + ": " + f + " cannot be read: " + e.getMessage()))
                .values().forEach(r -> {
                    if (!r.endedForReal() || r.deletedFolder() == null) {
                        return;
                    }
                    Path folder = Path.of(r.deletedFolder());
                    boolean restorable = Layout.manifestFolder(folder).toFile().isDirectory();
                    String end = local(r.endInstant());
                    StringBuilder kinds = new StringBuilder();
                    for (SyncKind k : SyncKind.values()) {
                        long n = r.directories().stream().filter(d -> d.sync() == k).count();
                        if (n > 0) {
                            kinds.append(kinds.isEmpty() ? "" : ", ").append(n).append(' ').append(k.id());
                        }
                    }
                    lines.add(String.format(FORMAT, Layout.runName(folder), local(r.startInstant()), end,
                            r.outcome().id(), kinds,
                            restorable ? "--as-of " + Layout.runName(folder) : "-"));
                });
        if (lines.isEmpty()) {
            System.out.println("no run on record in " + logs);
            return 0;
        }
        System.out.println(String.format(FORMAT, "run", "start", "end", "outcome", "sync", "restore point"));
        lines.forEach(System.out::println);
        return 0;
    }

    /** Local time to the second, always with its seconds (LocalDateTime.toString drops ":00"). */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static String local(Instant t) {
        return LOCAL.format(t.atZone(ZoneId.systemDefault()));
    }
}
