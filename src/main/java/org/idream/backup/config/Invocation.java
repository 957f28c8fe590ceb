package org.idream.backup.config;

import java.util.Properties;

/**
 * How the command was invoked ({@code ceph-backup} as the package installs it, {@code bin/backup} in a checkout), as
 * its launcher says in the JVM property {@value #PROPERTY}: help, usage lines and hints name it so.
 */
public final class Invocation {
    /** The JVM property by which a launcher says how it was invoked. */
    public static final String PROPERTY = "backup.command";

    private Invocation() {
    }

    /** The command as it was invoked; {@code ceph-backup} when no launcher says. */
    public static String name(Properties system) {
        String c = system.getProperty(PROPERTY);
        return c == null || c.isBlank() ? "ceph-backup" : c;
    }

    /** The command as this JVM was invoked. */
    public static String name() {
        return name(System.getProperties());
    }
}
