package org.idream.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.RunLog;
import org.idream.backup.rclone.RcloneExecutor;
import org.idream.backup.run.BackupRun;
import org.idream.backup.run.DirectoryResults;
import org.idream.backup.run.DirectorySteps;
import org.idream.backup.run.RunOutcome;
import org.idream.backup.run.RunSteps;
import org.idream.backup.preconditions.Preconditions;
import org.idream.backup.observe.BackupControl;
import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.RestoreRefused;
import org.idream.backup.restore.RestoreRequest;
import org.idream.backup.restore.RestoreSteps;
import org.idream.backup.restore.Versions;
import org.idream.backup.observe.BackupHealthCheck;
import org.idream.backup.observe.Notifier;
import org.idream.backup.observe.RemoteJmx;
import org.idream.backup.observe.RunHistory;
import org.idream.backup.observe.RunMetrics;
import org.idream.backup.observe.RunObserver;
import org.idream.backup.observe.RunObservers;
import org.idream.backup.observe.TerminalProgress;
import org.idream.backup.safety.Interruption;
import org.idream.backup.safety.Retention;
import org.idream.backup.safety.StartupFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel application: camel-main with the YAML routes of {@code routes/}, the validated settings as
 * its properties, and the beans the routes call. Runs one backup and returns its exit code, or runs
 * as a daemon on the schedule.
 */
public final class BackupApp {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    static final String RUN_ROUTE = "direct:backup-run";

    private final Path home;
    private final Settings settings;
    private final boolean dryRun;
    private final Interruption interruption;
    private final RunHistory history = new RunHistory();
    private final RunMetrics metrics = new RunMetrics(history);
    private final RunObservers observers = new RunObservers(observers(history, metrics));

    public BackupApp(Path home, Settings settings, boolean dryRun, Interruption interruption) {
        this.home = home;
        this.settings = settings;
        this.dryRun = dryRun;
        this.interruption = interruption;
    }

    /** History first (metrics read it), then metrics, then the terminal's live lines when there is one. */
    private static List<RunObserver> observers(RunHistory history, RunMetrics metrics) {
        List<RunObserver> all = new java.util.ArrayList<>(List.of(history, metrics));
        if (TerminalProgress.available()) {
            TerminalProgress terminal = new TerminalProgress();
            terminal.install();
            all.add(terminal);
        }
        return all;
    }

    /** Builds camel-main: properties, routes, and the beans the routes call by name. */
    Main camel(boolean once) {
        Main main = new Main();
        main.setOverrideProperties(settings.camelProperties());
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // Settings has already applied -D and the environment to this product's keys, and
                // validated and normalised them (durations in ms): Camel must not read the raw -D or
                // environment value over them, only fall back to those for keys of its own.
                var pc = (PropertiesComponent) m.getCamelContext().getPropertiesComponent();
                pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
                pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
                if (!once && settings.get(Keys.ROUTES_RELOAD)) {
                    try {
                        m.getCamelContext().addService(new RouteReload(home.resolve("routes")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        main.configure().withRoutesIncludePattern("file:" + home.resolve("routes") + "/*.yaml");
        if (once) {
            // the schedule is the daemon's: a single run does not load it; nor does it serve HTTP
            // (nobody could scrape a process that is gone: its metrics go to backup.metrics-textfile)
            main.configure().withRoutesExcludePattern("file:" + home.resolve("routes") + "/schedule.yaml");
            main.addOverrideProperty("camel.management.enabled", "false");
            main.addOverrideProperty("camel.metrics.enabled", "false");
        }
        main.bind("metricsRegistry", metrics.registry());
        main.bind("backupHealth", new BackupHealthCheck(history, settings.get(Keys.HEALTH_MAX_AGE)));
        main.bind("notifier", new Notifier(settings));
        main.bind("run", new RunSteps(settings, dryRun, interruption, observers));
        main.bind("facts", new StartupFacts(settings));
        main.bind("preconditions", new Preconditions(settings, interruption));
        main.bind("directory", new DirectorySteps(settings, interruption));
        main.bind("directoryResults", new DirectoryResults());
        main.bind("retention", new Retention(settings));
        main.bind("rcloneExecutor", new RcloneExecutor(observers::progress));
        main.bind("restore", new RestoreSteps(settings));
        return main;
    }

    int run(boolean once) {
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        history.load(settings.get(Keys.LOG_DIR));

        return once ? runOnce() : runDaemon();
    }

    /** A short-lived Camel (no schedule, no HTTP server), started; null, logged, when it cannot start. */
    private Main startShortLived() {
        Main main = camel(true);
        try {
            main.start();
            return main;
        } catch (Exception e) {
            LOG.error("cannot start: {}", rootMessage(e));
            return null;
        }
    }

    private int runOnce() {
        Main main = startShortLived();
        if (main == null) {
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
        try (AutoCloseable jmx = management(main)) {
            BackupRun run = main.getCamelTemplate().requestBody(RUN_ROUTE, null, BackupRun.class);
            writeMetricsTextfile(run);
            return run.outcome().exitCode();
        } catch (Exception e) {
            LOG.error("the run failed: {}", rootMessage(e), e);
            return RunOutcome.FAILED.exitCode();
        } finally {
            main.stop();
        }
    }

    /** After a --once run: the metrics for node_exporter's textfile collector (not after a dry run). */
    private void writeMetricsTextfile(BackupRun run) {
        settings.get(Keys.METRICS_TEXTFILE).filter(f -> !run.dryRun()).ifPresent(file -> {
            try {
                metrics.writeTextfile(file);
                LOG.info("metrics written to {}", file);
            } catch (IOException e) {
                LOG.warn("cannot write the metrics file {}: {}", file, e.toString());
            }
        });
    }

    /** The application's MBean, and remote JMX when configured; closed when the application stops. */
    private AutoCloseable management(Main main) throws Exception {
        RemoteJmx remote = null;
        if (settings.get(Keys.JMX_REMOTE_PORT).isPresent()) {
            remote = new RemoteJmx(settings.get(Keys.JMX_REMOTE_ADDRESS), settings.get(Keys.JMX_REMOTE_PORT).get());
            LOG.info("remote JMX: {}", remote.address());
        }
        RemoteJmx remoteJmx = remote;
        // registered last: once the application's MBean is visible, every window is open
        BackupControl control = new BackupControl(history, main.getCamelContext(), RUN_ROUTE);
        return () -> {
            control.close();
            if (remoteJmx != null) {
                remoteJmx.close();
            }
        };
    }

    /** {@code bin/backup restore ...}: the route restore, in a short-lived Camel like --once. */
    int restore(RestoreRequest request) {
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        Main main = startShortLived();
        if (main == null) {
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
        try {
            return main.getCamelTemplate().requestBody("direct:restore", request, Integer.class);
        } catch (Exception e) {
            LOG.error("restore failed: {}", rootMessage(e), e);
            return RunOutcome.FAILED.exitCode();
        } finally {
            main.stop();
        }
    }

    /** {@code bin/backup versions PATH}: a table on standard output, newest first. */
    int versions(Path path) {
        try {
            List<Versions.Version> versions = Versions.of(new RestorePlanner(settings), path);
            if (versions.isEmpty()) {
                System.out.println("no version of " + path + " in the backup");
                return RunOutcome.FAILED.exitCode();
            }
            System.out.println(versions.size() + " version(s) of " + path + ", newest first:");
            versions.forEach(v -> System.out.println("  " + v.describe()));
            return 0;
        } catch (RestoreRefused e) {
            System.err.println("backup: " + e.getMessage());
            return RunOutcome.CONFIG_ERROR.exitCode();
        } catch (IOException e) {
            System.err.println("backup: " + e);
            return RunOutcome.FAILED.exitCode();
        }
    }

    private int runDaemon() {
        Main main = camel(false);
        // a signal ends the run in progress (its report says interrupted), then the daemon
        interruption.whenSignalled(main::completed);
        LOG.info("daemon: backups on schedule '{}'{}", settings.get(Keys.SCHEDULE), dryRun ? " (dry runs)" : "");
        main.addMainListener(new MainListenerSupport() {
            private AutoCloseable jmx;

            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    jmx = management(main);
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
            LOG.error("daemon stopped: {}", rootMessage(e), e);
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t.getMessage() + " (" + root + ")";
    }
}
