package org.idream.backup.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Clocks;
import org.idream.backup.model.Layout;
import org.idream.backup.model.SyncKind;
import org.idream.backup.report.Report;
import org.idream.backup.safety.RunLock;
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
    public Integer call() throws IOException {
        Settings settings = settings();
        Path logs = settings.get(Keys.LOG_DIR);
        Map<Path, Report> reports = Report.all(logs, (f, e) -> System.err.println(context().command() + ": " + f
                + " cannot be read: " + e.getMessage()));
        List<Path> runLogs = new ArrayList<>();
        if (Files.isDirectory(logs)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "backup_*.log")) {
                files.forEach(runLogs::add);
            }
        }
        // every run that started: its report, or its log alone (killed, or running now)
        TreeMap<String, String> lines = new TreeMap<>();      // by start (then by log), oldest first
        Set<String> named = new HashSet<>();
        reports.forEach((file, r) -> {
            if (!r.endedForReal() || r.deletedFolder() == null) {
                return;
            }
            Path folder = Path.of(r.deletedFolder());
            boolean restorable = Layout.manifestFolder(folder).toFile().isDirectory();
            StringBuilder kinds = new StringBuilder();
            for (SyncKind k : SyncKind.values()) {
                long n = r.directories().stream().filter(d -> d.sync() == k).count();
                if (n > 0) {
                    kinds.append(kinds.isEmpty() ? "" : ", ").append(n).append(' ').append(k.id());
                }
            }
            boolean beyond = r.startInstant().isBefore(Instant.now(Clocks.clock()).minus(Duration.ofDays(settings.get(
                    Keys.RETENTION_DAYS))));
            named.add(Layout.runName(folder));
            lines.put(local(r.startInstant()) + stem(file), String.format(FORMAT, Layout.runName(folder), local(r.startInstant()),
                    local(r.endInstant()), r.outcome().id(), kinds, restorable ? "--as-of " + Layout.runName(folder)
                    + (beyond ? " (kept: " + Keys.Names.KEEP + ")" : "") : "-"));
        });
        String newest = runLogs.stream().map(RunsCommand::stem).max(String::compareTo).orElse("");
        boolean running = RunLock.heldNow(settings.get(Keys.LOCK_FILE));
        for (Path log : runLogs) {
            String stem = stem(log);
            if (Files.exists(log.resolveSibling(stem + ".json"))) {
                continue;                        // reported (a dry run's report is not listed)
            }
            String[] seen = started(log);
            named.add(seen[1]);
            lines.put(seen[0] + stem, String.format(FORMAT, seen[1], seen[0], "-", running && stem.equals(newest) ? "running"
                    : "killed: no report", "-", "-"));
        }
        // restore points whose run's log and report were rotated away (kept beyond the window: backup.keep-*)
        Path deletedRoot = settings.get(Keys.DELETED_ROOT);
        for (String run : Layout.recordedRuns(deletedRoot)) {
            if (!named.contains(run)) {
                String start = run.substring(0, 10) + " " + run.substring(11, 19).replace('-', ':');
                boolean beyond = LocalDate.parse(run.substring(0, 10)).isBefore(LocalDate.now(Clocks.clock())
                        .minusDays(settings.get(Keys.RETENTION_DAYS)));
                lines.put(start + run, String.format(FORMAT, run, start, "-", "(report rotated)", "", "--as-of " + run
                        + (beyond ? " (kept: " + Keys.Names.KEEP + ")" : "")));
            }
        }
        if (lines.isEmpty()) {
            System.out.println("no run on record in " + logs);
            return 0;
        }
        System.out.println(String.format(FORMAT, "run", "start", "end", "outcome", "sync", "restore point"));
        lines.values().forEach(System.out::println);
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static final Pattern DISPLACED_TO = Pattern.compile("displaced files go to (\\S+)$");

    /** A run's start (its log's first time) and name (where it said its displaced files go), from its log alone. */
    private static String[] started(Path log) throws IOException {
        String start = "-";
        String run = "-";
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            String line;
            for (int n = 0; (line = r.readLine()) != null && n < 200; n++) {
                if (start.equals("-") && line.length() >= 19 && line.charAt(4) == '-') {
                    start = line.substring(0, 19);
                }
                Matcher m = DISPLACED_TO.matcher(line);
                if (m.find()) {
                    run = Layout.runName(Path.of(m.group(1)));
                    break;
                }
            }
        }
        return new String[] {start, run};
    }

    /** Local time to the second, always with its seconds (LocalDateTime.toString drops ":00"). */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static String local(Instant t) {
        return LOCAL.format(t.atZone(ZoneId.systemDefault()));
    }
}
