package org.idream.backup.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.config.Cluster;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;


/**
 * The fleet as the engine holds it, read without joining it: the hosts that are up, and for every
 * directory the host that has it, its last run and outcome, its last success and its next firing.
 */
public record FleetView(String engine, Set<String> up, List<Row> rows) {

    /** One directory. */
    public record Row(Path source, String host, boolean hostUp, String lastRun, String outcome, String lastSuccess,
            String nextFiring) {
    }

    /** Reads the fleet of these settings; throws {@link FleetStore.FleetUnavailable} when it cannot be reached. */
    public static FleetView read(Settings settings) {
        Cluster cluster = settings.get(Keys.CLUSTER);
        Duration lease = settings.get(Keys.CLUSTER_FAILOVER_AFTER).orElse(Duration.ofSeconds(30));
        try (FleetStore store = FleetStore.of(cluster, lease)) {
            store.open();
            Set<String> up = new TreeSet<>(store.members());
            Map<Path, FleetRecords.DirectoryRecord> records = new FleetRecords(store)
                    .directories(settings.get(Keys.SOURCES));
            List<Row> rows = new ArrayList<>();
            for (Path source : settings.get(Keys.SOURCES)) {
                FleetRecords.DirectoryRecord r = records.get(source);
                String host = r == null ? null : blank(r.host());
                rows.add(new Row(source, host, host != null && up.contains(host), r == null ? null : blank(r.lastRun()),
                        r == null || r.outcome() == null ? null : r.outcome().id(), r == null ? null : blank(r.lastSuccess()),
                        r == null ? null : blank(r.nextFiring())));
            }
            return new FleetView(store.describe(), up, rows);
        }
    }

    /** The host that has a directory's backup, when it is known. */
    public Optional<String> hostOf(Path source) {
        return rows.stream().filter(r -> r.source().equals(source) && r.host() != null).map(Row::host).findFirst();
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The table {@code bin/backup fleet} prints. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("fleet " + engine + ": " + up.size() + " host" + (up.size() == 1 ? "" : "s") + " up"
                + (up.isEmpty() ? "" : ": " + String.join(", ", up)));
        int width = Math.max(9, rows.stream().mapToInt(r -> r.source().toString().length()).max().orElse(9));
        String format = "%-" + width + "s  %-16s  %-19s  %-12s  %-19s  %s";
        out.add(String.format(format, "directory", "host", "last run", "outcome", "last success", "next firing"));
        for (Row r : rows) {
            out.add(String.format(format, r.source(), r.host() == null ? "(none yet)" : r.host() + (r.hostUp() ? "" : " (down)"),
                    local(r.lastRun()), r.outcome() == null ? "-" : r.outcome(), local(r.lastSuccess()),
                    local(r.nextFiring())));
        }
        return out;
    }

    private static String local(String iso) {
        if (iso == null) {
            return "-";
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(Instant.parse(iso).atZone(ZoneId.systemDefault()));
    }
}
