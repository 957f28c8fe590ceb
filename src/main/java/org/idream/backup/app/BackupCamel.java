package org.idream.backup.app;

import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;

/**
 * camel-main for this product: the validated settings as its properties, the YAML routes of
 * {@code routes/}, and {@link BackupConfiguration}'s beans. A process that runs once (a backup with
 * {@code --once}, a restore) loads neither the schedule nor the HTTP server.
 */
public final class BackupCamel {
    /** The route a backup run is sent to. */
    public static final String RUN_ROUTE = "direct:backup-run";
    /** After a run: the night's slice of the stored data re-read (routes/verify.yaml). */
    public static final String VERIFY_ROUTE = "direct:verify-night";
    /** The route a restore is sent to. */
    public static final String RESTORE_ROUTE = "direct:restore";
    /** The route of {@code bin/backup check}. */
    public static final String CHECK_ROUTE = "direct:configuration-check";

    private BackupCamel() {
    }

    public static Main create(Path home, Settings settings, BackupConfiguration configuration,
            BackupConfiguration.Mode mode) {
        Main main = new Main();
        main.setOverrideProperties(settings.camelProperties());
        main.setDefaultPropertyPlaceholderLocation("false");
        configure(main.configure(), home, configuration, mode);
        main.bind("metricsRegistry", configuration.metricsRegistry());
        if (mode == BackupConfiguration.Mode.ONCE) {
            // nobody could scrape a process that is gone: a --once run's metrics go to backup.metrics-textfile
            main.addOverrideProperty(Keys.CAMEL_MANAGEMENT_ENABLED.name(), "false");
            main.addOverrideProperty(Keys.CAMEL_METRICS_ENABLED.name(), "false");
        }
        return main;
    }

    /** The routes and the beans: the same for the application and for the route tests. */
    public static void configure(MainConfigurationProperties main, Path home, BackupConfiguration configuration,
            BackupConfiguration.Mode mode) {
        Path routes = home.resolve("routes");
        main.withRoutesIncludePattern("file:" + routes + "/*.yaml");
        if (mode == BackupConfiguration.Mode.ONCE) {
            main.withRoutesExcludePattern("file:" + routes + "/schedule.yaml");
        }
        main.addConfiguration(configuration);
    }
}
