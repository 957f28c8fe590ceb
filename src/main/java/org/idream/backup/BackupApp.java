package org.idream.backup;

import java.nio.file.Path;

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

    public BackupApp(Path home, Settings settings, boolean dryRun, Interruption interruption) {
        this.home = home;
        this.settings = settings;
        this.dryRun = dryRun;
        this.interruption = interruption;
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
            }
        });
        main.configure().withRoutesIncludePattern("file:" + home.resolve("routes") + "/*.yaml");
        if (once) {
            // the schedule is the daemon's: a single run does not load it
            main.configure().withRoutesExcludePattern("file:" + home.resolve("routes") + "/schedule.yaml");
        }
        main.bind("run", new RunSteps(settings, dryRun, interruption));
        main.bind("facts", new StartupFacts(settings));
        main.bind("preconditions", new Preconditions(settings, interruption));
        main.bind("directory", new DirectorySteps(settings, interruption));
        main.bind("directoryResults", new DirectoryResults());
        main.bind("retention", new Retention(settings));
        main.bind("rcloneExecutor", new RcloneExecutor());
        return main;
    }

    int run(boolean once) {
        RunLog.level(settings.get(Keys.LOG_LEVEL));

        return once ? runOnce() : runDaemon();
    }

    private int runOnce() {
        Main main = camel(true);
        try {
            main.start();
        } catch (Exception e) {
            LOG.error("cannot start: {}", rootMessage(e));
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
        try {
            BackupRun run = main.getCamelTemplate().requestBody(RUN_ROUTE, null, BackupRun.class);
            return run.outcome().exitCode();
        } catch (Exception e) {
            LOG.error("the run failed: {}", rootMessage(e), e);
            return RunOutcome.FAILED.exitCode();
        } finally {
            main.stop();
        }
    }

    private int runDaemon() {
        Main main = camel(false);
        // a signal ends the run in progress (its report says interrupted), then the daemon
        interruption.whenSignalled(main::completed);
        LOG.info("daemon: backups on schedule '{}'{}", settings.get(Keys.SCHEDULE), dryRun ? " (dry runs)" : "");
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
