package org.idream.backup.observe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * Remote JMX, off unless {@code backup.jmx.remote-port} is set: an RMI connector on that one port,
 * bound to {@code backup.jmx.remote-address} (loopback by default; no authentication, so reach it
 * over an ssh tunnel rather than opening it to the network).
 */
public final class RemoteJmx implements AutoCloseable {
    private final JMXConnectorServer server;

    public RemoteJmx(String address, int port) throws IOException {
        InetAddress bind = InetAddress.getByName(address);
        System.setProperty("java.rmi.server.hostname", address);
        RMIServerSocketFactory sockets = p -> new ServerSocket(p, 50, bind);
        LocateRegistry.createRegistry(port, null, sockets);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + address + ":" + port + "/jndi/rmi://" + address
                + ":" + port + "/jmxrmi");
        server = JMXConnectorServerFactory.newJMXConnectorServer(url,
                Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets),
                ManagementFactory.getPlatformMBeanServer());
        server.start();
    }

    public String address() {
        return server.getAddress().toString();
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
