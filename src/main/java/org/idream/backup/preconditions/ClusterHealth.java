package org.idream.backup.preconditions;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's health, from {@code ceph.status-command} (by default {@code ceph status} over ssh).
 * HEALTH_OK passes; HEALTH_WARN is a WARNING; HEALTH_ERR stops the run. A missing ssh, an unreachable
 * host, a timeout or an unreadable answer is a WARNING: the backup goes on without knowing.
 */
final class ClusterHealth implements Check {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final Pattern HEALTH = Pattern.compile("HEALTH_(OK|WARN|ERR)");
    private final List<String> command;

    ClusterHealth(List<String> command) {
        this.command = command;
    }

    @Override
    public String name() {
        return "cluster-health";
    }

    @Override
    public List<String> command(Subject subject) {
        return command;
    }

    @Override
    public boolean judge(Subject subject, ProcessRunner.Result r) {
        String cmd = String.join(" ", command);
        if (r.notRun()) {
            LOG.warn("precondition {}: '{}' cannot be run ({}): health not checked", name(), command.get(0),
                    r.firstLine());
            return true;
        }
        if (r.timedOut()) {
            LOG.warn("precondition {}: '{}' timed out: health not checked", name(), cmd);
            return true;
        }
        if (r.exit() == 255 && command.get(0).endsWith("ssh")) {
            LOG.warn("precondition {}: host unreachable ({}): health not checked", name(), r.firstLine());
            return true;
        }
        Matcher m = HEALTH.matcher(r.out());
        if (r.exit() != 0 || !m.find()) {
            LOG.warn("precondition {}: '{}' gave no health (exit {}): {}", name(), cmd, r.exit(), r.firstLine());
            return true;
        }
        String details = r.out().lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("health:") && !l.startsWith("cluster:") && !l.startsWith("id:"))
                .limit(6).reduce((a, b) -> a + "; " + b).orElse("");
        switch (m.group(1)) {
            case "OK" -> LOG.info("precondition {}: HEALTH_OK", name());
            case "WARN" -> LOG.warn("precondition {}: HEALTH_WARN: {}", name(), details);
            default -> throw new PreconditionFailed("precondition " + name() + ": HEALTH_ERR: " + details);
        }
        return true;
    }
}
