package org.idream.backup.app;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.idream.backup.config.Settings;
import org.idream.backup.observe.RunHistory;
import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.safety.Interruption;

/**
 * A Camel that lives for one request ({@code --once}, {@code restore}): started without the schedule
 * or the HTTP server, sent one message, stopped. Run to exit: camel-main's own "stop after N messages"
 * counts every split sub-exchange, so it is not used.
 */
public final class OneShot implements AutoCloseable {
    private final Main main;
    private final BackupConfiguration configuration;

    private OneShot(Main main, BackupConfiguration configuration) {
        this.main = main;
        this.configuration = configuration;
    }

    /** Started; a Camel that cannot start (a broken route file, say) is a configuration error (exit 2). */
    public static OneShot start(Path home, Settings settings, boolean dryRun, boolean full, Interruption interruption) {
        BackupConfiguration configuration = new BackupConfiguration(home, settings, BackupConfiguration.Mode.ONCE,
                dryRun, full, interruption);
        Main main = BackupCamel.create(home, settings, configuration, BackupConfiguration.Mode.ONCE);
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            Failure f = new Failure(RunOutcome.CONFIG_ERROR, "cannot start: " + Failures.describe(e));
            f.initCause(e);
            throw f;
        }
        return new OneShot(main, configuration);
    }

    public <T> T request(String route, Object body, Class<T> type) throws Exception {
        return main.getCamelTemplate().requestBody(route, body, type);
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public RunHistory history() {
        return configuration.history();
    }

    @Override
    public void close() {
        main.stop();
    }
}
