package org.idream.backup.cli;

import java.util.Map;
import java.util.Properties;

import org.idream.backup.config.Invocation;
import org.idream.backup.safety.Interruption;

/** What a command is run with besides its arguments: the environment, the JVM's properties, the signals. */
public record Context(Map<String, String> env, Properties system, Interruption interruption) {
    /** The command as it was invoked, for usage lines and messages ({@link Invocation}). */
    public static String command(Properties system) {
        return Invocation.name(system);
    }

    public String command() {
        return command(system);
    }
}
