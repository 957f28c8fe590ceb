package org.idream.backup.preconditions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.process.ProcessRunner;
import org.idream.backup.safety.Interruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of SPEC §2 step 7 and of the empty-mount guard, by name, for the routes: the route
 * {@code check} asks {@link #command} for the command of the check named in its header {@code check}
 * (about the source and mirror in the headers {@code source} and {@code mirror}), runs it through
 * camel-exec, and hands the result to {@link #judge}.
 */
public final class Preconditions {
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
                new DestinationMounted(settings.get(Keys.MAIN_ROOT)),
                new DestinationWritable(settings.get(Keys.MAIN_ROOT), settings.get(Keys.DELETED_ROOT))));
        settings.get(Keys.CEPH_MOUNT_POINT).ifPresent(mount -> all.addAll(List.of(new FstabEntry(mount, fstab),
                new Mounted(mount, false), new Mount(mount, fstab, settings.get(Keys.CEPH_MOUNT_ATTEMPTS)),
                new Mounted(mount, true), new Listable(mount), SourceGuard.onMount(mount))));
        for (Check c : all) {
            checks.put(c.name(), c);
        }
    }

    /** The arguments of {@code exec:env} for the check: {@code -- COMMAND ARGS...}. */
    public List<String> command(String check, String source, String mirror) {
        interruption.check();
        Check c = check(check);
        List<String> argv = new ArrayList<>();
        argv.add("--");
        argv.addAll(c.command(subject(source, mirror, null)));
        LOG.debug("precondition {}: {}", c.name(), argv.subList(1, argv.size()));
        return argv;
    }

    /** Reads the command's result and logs the outcome: true when it passed; throws when the run must stop. */
    public boolean judge(String check, String source, String mirror, Integer redeliveries,
            ProcessRunner.Result result) {
        return check(check).judge(subject(source, mirror, redeliveries), result);
    }

    /** The mount's redelivery policy: try again, up to {@code ceph.mount-attempts} in all? */
    public boolean retryMount(Integer redeliveries) {
        int attempt = redeliveries == null ? 1 : redeliveries;
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

    private static Check.Subject subject(String source, String mirror, Integer redeliveries) {
        return new Check.Subject(source == null ? null : Path.of(source), mirror == null ? null : Path.of(mirror),
                (redeliveries == null ? 0 : redeliveries) + 1);
    }

    private Check check(String name) {
        Check check = checks.get(name);
        if (check == null) {
            throw new IllegalArgumentException("no check named '" + name + "' (known: " + checks.keySet() + ")");
        }
        return check;
    }
}
