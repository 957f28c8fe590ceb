package org.idream.backup.preconditions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.safety.Interruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of SPEC §2 step 7 and of the empty-mount guard, by name, for the routes: the route
 * {@code check} asks {@link #prepare} for the command of the check named in the header
 * {@value #CHECK}, runs it through camel-exec, and hands the result to {@link #judge}.
 */
public final class Preconditions {
    public static final String CHECK = "check";
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private final Settings settings;
    private final Interruption interruption;
    private final Map<String, Check> checks = new LinkedHashMap<>();

    public Preconditions(Settings settings, Interruption interruption) {
        this.settings = settings;
        this.interruption = interruption;
        Path fstab = settings.get(Keys.CEPH_FSTAB);
        List<Check> all = new ArrayList<>(List.of(new SourceExists(), SourceGuard.notEmpty(),
                new ClusterHealth(settings.get(Keys.CEPH_STATUS_COMMAND)),
                new DestinationMounted(settings.get(Keys.MAIN_ROOT))));
        settings.get(Keys.CEPH_MOUNT_POINT).ifPresent(mount -> all.addAll(List.of(new FstabEntry(mount, fstab),
                new Mounted(mount, false), new Mount(mount, fstab, settings.get(Keys.CEPH_MOUNT_ATTEMPTS)),
                new Mounted(mount, true), new Listable(mount), SourceGuard.onMount(mount))));
        for (Check c : all) {
            checks.put(c.name(), c);
        }
    }

    /** The command of the check named in the header, for {@code exec:env}: {@code -- COMMAND ARGS...}. */
    public void prepare(Exchange exchange) {
        interruption.check();
        Check check = check(exchange);
        List<String> argv = new ArrayList<>();
        argv.add("--");
        argv.addAll(check.command(exchange));
        exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, argv);
        LOG.debug("precondition {}: {}", check.name(), argv.subList(1, argv.size()));
    }

    /** Reads the command's result; logs the outcome; throws when the check fails. */
    public void judge(Exchange exchange) throws IOException {
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        check(exchange).judge(exchange, new Check.Result(result.getExitValue(), read(result.getStdout()),
                read(result.getStderr())));
    }

    /** The mount's redelivery policy: mount again, up to {@code ceph.mount-attempts} in all. */
    public boolean retryMount(Exchange exchange) {
        // Camel has already counted this failure when it asks
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        int attempts = settings.get(Keys.CEPH_MOUNT_ATTEMPTS);
        if (attempt < attempts && !interruption.interrupted()) {
            LOG.warn("precondition mount: {} is not mounted after attempt {} of {}; trying again in {}s",
                    settings.get(Keys.CEPH_MOUNT_POINT).orElseThrow(), attempt, attempts,
                    settings.get(Keys.CEPH_MOUNT_RETRY_DELAY).toSeconds());
            return true;
        }
        return false;
    }

    public boolean cephMountConfigured() {
        return settings.get(Keys.CEPH_MOUNT_POINT).isPresent();
    }

    public boolean clusterHealthConfigured() {
        return !settings.get(Keys.CEPH_STATUS_COMMAND).isEmpty();
    }

    public boolean destinationMustBeMounted() {
        return settings.get(Keys.REQUIRE_MOUNTED_DESTINATION);
    }

    /** The sources, as text, for a split of the per-source checks. */
    public List<String> sources() {
        return settings.get(Keys.SOURCES).stream().map(Path::toString).toList();
    }

    private Check check(Exchange exchange) {
        String name = exchange.getIn().getHeader(CHECK, String.class);
        Check check = checks.get(name);
        if (check == null) {
            throw new IllegalArgumentException("no check named '" + name + "' (known: " + checks.keySet() + ")");
        }
        return check;
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
