package org.idream.backup.config;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;

/** A configuration value that cannot be used (exit 2). Its message is one line naming the key. */
public class ConfigException extends Failure {
    private final String key;

    public ConfigException(String key, String message) {
        super(RunOutcome.CONFIG_ERROR, message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
