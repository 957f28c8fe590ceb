package org.idream.backup.rclone;

import com.fasterxml.jackson.databind.JsonNode;
import org.idream.backup.model.Transfers;
import org.idream.backup.model.Units;

/** The {@code stats} object of one rclone stats log line (the same in 1.60 and 1.62). */
public record RcloneStats(long bytes, long totalBytes, long transfers, long totalTransfers, long checks,
        long totalChecks, long deletes, long renames, long errors, double speed, Long eta, double elapsedTime,
        String lastError) {

    public static final RcloneStats NONE = new RcloneStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, null);

    static RcloneStats of(JsonNode s) {
        JsonNode eta = s.get("eta");
        JsonNode lastError = s.get("lastError");
        return new RcloneStats(s.path("bytes").asLong(), s.path("totalBytes").asLong(),
                s.path("transfers").asLong(), s.path("totalTransfers").asLong(), s.path("checks").asLong(),
                s.path("totalChecks").asLong(), s.path("deletes").asLong(), s.path("renames").asLong(),
                s.path("errors").asLong(), s.path("speed").asDouble(),
                eta == null || eta.isNull() ? null : eta.asLong(), s.path("elapsedTime").asDouble(),
                lastError == null || lastError.isNull() ? null : lastError.asText());
    }

    /**
     * Files moved into the deleted area. With {@code --backup-dir} on a local destination every
     * displaced file (deleted or about to be overwritten) is a server-side move, counted as a rename.
     */
    public long movedToDeleted() {
        return renames;
    }

    /** The totals a directory's record keeps. */
    public Transfers totals() {
        return new Transfers(transfers, bytes, movedToDeleted(), errors);
    }

    /** One progress line: done and total of bytes and files, speed, ETA, errors. */
    public String progressLine() {
        StringBuilder b = new StringBuilder();
        b.append(Units.bytes(bytes)).append(" of ").append(Units.bytes(totalBytes));
        if (totalBytes > 0) {
            b.append(" (").append(bytes * 100 / totalBytes).append("%)");
        }
        b.append(", files ").append(transfers).append(" of ").append(totalTransfers);
        b.append(", checked ").append(checks).append(" of ").append(totalChecks);
        b.append(", ").append(Units.bytes((long) speed)).append("/s");
        b.append(", ETA ").append(eta == null ? "-" : Units.duration(eta));
        b.append(", elapsed ").append(Units.duration((long) elapsedTime));
        b.append(", errors ").append(errors);
        return b.toString();
    }
}
