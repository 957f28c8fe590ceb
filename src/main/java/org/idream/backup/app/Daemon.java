package org.idream.backup.app;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.idream.backup.config.Invocation;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.Schedule;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.safety.Interruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/backup} without {@code --once}: Camel with the schedule, the HTTP server (metrics, health)
 * and JMX, until a signal, which ends the run in progress (its report says interrupted), then the daemon.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private Daemon() {
    }

    /** When backup.schedule fires next, in local time, or why that cannot be said. */
    static String nextFiring(Settings settings) {
        String cron = settings.get(Keys.SCHEDULE);
        return Schedule.nextFiring(cron).map(t -> t.atZone(ZoneId.systemDefault()).toLocalDateTime().toString()
                .replace('T', ' ') + " (" + Keys.SCHEDULE.name() + " = '" + cron + "')")
                .orElse("never (" + Keys.SCHEDULE.name() + " = '" + cron + "')");
    }

    /** Runs until stopped; the exit code. */
    public static int run(Path home, Settings settings, boolean dryRun, Interruption interruption) {
        BackupConfiguration configuration = new BackupConfiguration(home, settings, BackupConfiguration.Mode.DAEMON,
                dryRun, false, interruption);
        Main main = BackupCamel.create(home, settings, configuration, BackupConfiguration.Mode.DAEMON);
        interruption.whenSignalled(main::completed);
        LOG.info("daemon: backups on schedule '{}'{}", settings.get(Keys.SCHEDULE), dryRun ? " (dry runs)" : "");
        AtomicBoolean started = new AtomicBoolean();
        main.addMainListener(new MainListenerSupport() {
            private AutoCloseable jmx;

            @Override
            public void afterStart(BaseMainSupport m) {
                started.set(true);
                LOG.info("daemon: this process stays in the foreground and runs backups until it is stopped (SIGTERM, "
                        + "Ctrl-C); for one run now: " + Invocation.name() + " --once. The next backup: {}", nextFiring(settings));
                Properties camel = settings.camelProperties();
                if (Boolean.parseBoolean(camel.getProperty(Keys.CAMEL_MANAGEMENT_ENABLED.name()))) {
                    String base = "http://" + camel.getProperty(Keys.CAMEL_MANAGEMENT_HOST.name()) + ":"
                            + camel.getProperty(Keys.CAMEL_MANAGEMENT_PORT.name()) + "/observe/";
                    LOG.info("daemon: metrics at {}metrics, health at {}health; JMX: org.idream.backup:type=BackupControl",
                            base, base);
                }
                configuration.fleet().joinNow();
                try {
                    jmx = new Management(settings, configuration.history(), main.getCamelContext());
                } catch (Exception e) {
                    LOG.error("JMX: {}", e.toString());
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                try {
                    if (jmx != null) {
                        jmx.close();
                    }
                } catch (Exception e) {
                    LOG.warn("JMX: {}", e.toString());
                }
            }
        });
        try {
            main.run();
            LOG.info("daemon stopped");
            return interruption.interrupted() ? interruption.outcome().exitCode() : 0;
        } catch (Exception e) {
            // Camel that cannot start (a broken route file, say) is a configuration error; a crash later is not
            Failure f = started.get() ? Failures.of(e) : new Failure(RunOutcome.CONFIG_ERROR, "cannot start: "
                    + Failures.describe(e));
            if (!started.get()) {
                f.initCause(e);
            }
            return Failures.told(LOG, f, k -> "daemon stopped: " + k.getMessage()).outcome().exitCode();
        }
    }
}
