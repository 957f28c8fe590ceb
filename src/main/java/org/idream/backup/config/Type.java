package org.idream.backup.config;

import java.util.function.Function;

/**
 * The type of a key: a short label for the documentation, and the parser that turns the raw text into
 * a value or throws {@link IllegalArgumentException} with a short reason (the caller adds the key).
 */
public record Type<T>(String label, Function<String, T> parser) {
}
