package org.idream.backup.config;

/** A configuration value that cannot be used. Its message is one line naming the key. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
