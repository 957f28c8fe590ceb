package org.idream.backup.config;

import java.util.Locale;

/**
 * One configuration key: its public name, its type (how its text becomes a value), its default (the
 * value in the shipped {@code config/application.properties}, which is generated from {@link Keys}),
 * and what it means, in one line.
 */
public record Key<T>(String name, Type<T> type, String defaultValue, String description) {

    /** The environment variable that overrides this key: upper case, '.' and '-' become '_'. */
    public String environmentVariable() {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True for the keys this product owns and validates; false for Camel's own, passed on to Camel. */
    public boolean own() {
        return Keys.OWN_PREFIXES.stream().anyMatch(name::startsWith);
    }

    T parse(String raw) {
        return type.parser().apply(raw);
    }
}
