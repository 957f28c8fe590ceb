package org.idream.backup.observe;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link BackupControlMBean}, registered on the platform MBean server while the application runs. */
public final class BackupControl implements BackupControlMBean, AutoCloseable {
    public static final String NAME = "org.idream.backup:type=BackupControl";
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private final RunHistory history;
    private final CamelContext camel;
    private final String runRoute;
    private final ObjectName name;

    public BackupControl(RunHistory history, CamelContext camel, String runRoute) throws JMException {
        this.history = history;
        this.camel = camel;
        this.runRoute = runRoute;
        this.name = new ObjectName(NAME);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    @Override
    public String getLastOutcome() {
        return history.last() == null ? "" : history.last().outcome().id();
    }

    @Override
    public int getLastExitCode() {
        return history.last() == null ? -1 : history.last().exitCode();
    }

    @Override
    public String getLastReason() {
        return history.last() == null || history.last().reason() == null ? "" : history.last().reason();
    }

    @Override
    public String getLastStart() {
        return history.last() == null ? "" : history.last().start().toString();
    }

    @Override
    public String getLastEnd() {
        return history.last() == null ? "" : history.last().end().toString();
    }

    @Override
    public String getLastReport() {
        return history.last() == null || history.last().report() == null ? "" : history.last().report();
    }

    @Override
    public String getLastSuccess() {
        Instant t = history.lastSuccess();
        return t == null ? "" : t.toString();
    }

    @Override
    public String[] getLastDirectories() {
        return history.last() == null ? new String[0] : history.last().directories().toArray(String[]::new);
    }

    @Override
    public boolean isRunning() {
        return history.current() != null;
    }

    @Override
    public synchronized String runNow() {
        if (history.current() != null) {
            return "refused: a run is in progress since " + history.current().started();
        }
        LOG.info("a run was asked for over JMX");
        camel.createProducerTemplate().asyncRequestBody(runRoute, null);
        return "started";
    }

    @Override
    public void close() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
