package org.idream.backup.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Layout;
import picocli.CommandLine.Command;

/** {@code bin/backup runs [--config FILE]}: the runs on record, and which are restore points. */
@Command(name = "runs", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Lists the runs on record (their reports in backup.log-dir), oldest first: start, end, outcome, "
                + "how each directory was synced, and the --as-of that restores the state a run left (while its "
                + "manifests are kept: backup.retention-days).")
public final class RunsCommand extends ConfiguredCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunsCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        TreeMap<String, JsonNode> reports = new TreeMap<>();
        Path logs = settings.get(Keys.LOG_DIR);
        if (Files.isDirectory(logs)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "backup_*.json")) {
                for (Path f : files) {
                    try {
                        reports.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
                    } catch (IOException e) {
                        System.err.println("backup: " + f + " cannot be read: " + e.getMessage());
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode r : reports.values()) {
            if (r.path("dryRun").asBoolean() || r.path("deletedFolder").isNull() || r.path("end").isNull()) {
                continue;
            }
            Path folder = Path.of(r.get("deletedFolder").asText());
            boolean restorable = Files.isDirectory(Layout.manifestFolder(folder));
            int full = 0;
            int guided = 0;
            for (JsonNode d : r.path("directories")) {
                if ("rctime".equals(d.path("sync").asText())) {
                    guided++;
                } else if ("full".equals(d.path("sync").asText())) {
                    full++;
                }
            }
            String end = local(r.get("end").asText());
            lines.add(String.format("%-22s %-19s  %-19s  %-20s %-16s %s", Layout.runName(folder),
                    local(r.get("start").asText()), end, r.path("outcome").asText(),
                    (full > 0 ? full + " full" : "") + (full > 0 && guided > 0 ? ", " : "")
                            + (guided > 0 ? guided + " rctime" : ""),
                    restorable ? "--as-of \"" + end + "\"" : "-"));
        }
        if (lines.isEmpty()) {
            System.out.println("no run on record in " + logs);
            return 0;
        }
        System.out.println(String.format("%-22s %-19s  %-19s  %-20s %-16s %s", "run", "start", "end", "outcome", "sync",
                "restore point"));
        lines.forEach(System.out::println);
        return 0;
    }

    private static String local(String iso) {
        return OffsetDateTime.parse(iso).atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime().withNano(0)
                .toString().replace('T', ' ');
    }
}
