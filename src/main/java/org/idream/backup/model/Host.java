package org.idream.backup.model;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This host's name, as pings, the lock file and a fleet's default node id give it. */
public final class Host {
    private Host() {
    }

    /** The host name; where it cannot be resolved, $HOSTNAME, else the name the JVM knows, else localhost. */
    public static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env;
            }
            String jvm = ManagementFactory.getRuntimeMXBean().getName();
            return jvm.contains("@") ? jvm.substring(jvm.indexOf('@') + 1) : "localhost";
        }
    }
}
