package org.idream.backup.outcome;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How one directory of a run ended; {@link #id()} is its one spelling in logs, reports, metrics and pings. */
public enum DirectoryStatus {
    NOT_STARTED, RUNNING, SUCCESS, FAILED, REFUSED, MISSING;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A status that counts as a failure of the directory. */
    public boolean failure() {
        return this == FAILED || this == REFUSED || this == MISSING;
    }

    /** The value an id spells; null for none. */
    @JsonCreator
    public static DirectoryStatus of(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }
}
