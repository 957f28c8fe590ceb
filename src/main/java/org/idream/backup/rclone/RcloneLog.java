package org.idream.backup.rclone;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rclone's JSON log lines ({@code --use-json-log}) into lines of the run's log, tagged with the
 * directory, as they arrive. Stats lines become one progress line each and are kept: the last one is
 * the final count of the call. The last few errors are kept for the report.
 */
public final class RcloneLog implements Consumer<String> {
    private static final Logger LOG = LoggerFactory.getLogger("rclone");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_ERRORS = 5;

    private final String tag;
    private final Consumer<RcloneStats> progress;
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private volatile RcloneStats lastStats = RcloneStats.NONE;

    /**
     * @param tag      prefix of every line, e.g. the source directory
     * @param progress told of every stats update (live gauges); may be a no-op
     */
    public RcloneLog(String tag, Consumer<RcloneStats> progress) {
        this.tag = tag;
        this.progress = progress;
    }

    @Override
    public void accept(String line) {
        JsonNode node;
        try {
            node = line.startsWith("{") ? JSON.readTree(line) : null;
        } catch (Exception e) {
            node = null;
        }
        if (node == null) {
            if (!line.isBlank()) {
                LOG.warn("[{}] rclone: {}", tag, line);
                remember(line);
            }
            return;
        }
        JsonNode stats = node.get("stats");
        if (stats != null) {
            lastStats = RcloneStats.of(stats);
            LOG.info("[{}] progress: {}", tag, lastStats.progressLine());
            progress.accept(lastStats);
            return;
        }
        String msg = node.path("msg").asText();
        String object = node.path("object").asText("");
        if (object.endsWith(RcloneListing.LINK_SUFFIX)) {   // rclone's name of a symbolic link is not the operator's
            object = object.substring(0, object.length() - RcloneListing.LINK_SUFFIX.length()) + " (link)";
        }
        String text = object.isEmpty() ? msg : object + ": " + msg;
        switch (node.path("level").asText()) {
            case "error", "critical", "alert", "emergency" -> {
                LOG.error("[{}] {}", tag, text);
                remember(text);
            }
            case "warning", "notice" -> {
                if (msg.startsWith("Config file") && msg.contains("not found")) {
                    LOG.debug("[{}] {}", tag, text);
                } else if (msg.contains("as --dry-run is set")) {
                    LOG.info("[{}] {}", tag, text);  // what a dry run is for, not a warning
                } else if (msg.startsWith("Replacing invalid UTF-8 characters")) {
                    LOG.debug("[{}] {}", tag, text); // how rclone carries a name that is not UTF-8: byte for byte
                } else {
                    LOG.warn("[{}] {}", tag, text);
                }
            }
            case "debug" -> LOG.debug("[{}] {}", tag, text);
            default -> LOG.info("[{}] {}", tag, text);
        }
    }

    private synchronized void remember(String text) {
        if (lastErrors.size() == KEPT_ERRORS) {
            lastErrors.removeFirst();
        }
        lastErrors.addLast(text);
    }

    /** The last stats rclone printed: at the end of a call, its totals. */
    public RcloneStats finalStats() {
        return lastStats;
    }

    public synchronized List<String> lastErrors() {
        return List.copyOf(lastErrors);
    }
}
