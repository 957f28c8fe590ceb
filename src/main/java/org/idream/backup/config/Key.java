package org.idream.backup.config;

import java.util.function.Function;

/**
 * One configuration key: its public name, how its text becomes a value, and what it means.
 * The shipped {@code config/application.properties} holds every key's default.
 */
public record Key<T>(String name, Function<String, T> parser, String description) {

    /** The environment variable that overrides this key: upper case, '.' and '-' become '_'. */
    public String environmentVariable() {
        return name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    T parse(String raw) {
        return parser.apply(raw);
    }
}
