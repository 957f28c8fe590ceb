package org.idream.backup.app;

import org.apache.camel.CamelContext;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.observe.BackupControl;
import org.idream.backup.observe.RemoteJmx;
import org.idream.backup.observe.RunHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's MBean, and remote JMX when configured; closed when the application stops. */
public final class Management implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final RemoteJmx remote;
    private final BackupControl control;

    public Management(Settings settings, RunHistory history, CamelContext camel) throws Exception {
        var port = settings.get(Keys.JMX_REMOTE_PORT);
        remote = port.isPresent() ? new RemoteJmx(settings.get(Keys.JMX_REMOTE_ADDRESS), port.get()) : null;
        if (remote != null) {
            LOG.info("remote JMX: {}", remote.address());
        }
        // registered last: once the application's MBean is visible, every window is open
        control = new BackupControl(history, camel, BackupCamel.RUN_ROUTE);
    }

    @Override
    public void close() throws Exception {
        control.close();
        if (remote != null) {
            remote.close();
        }
    }
}
