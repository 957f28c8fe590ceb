package org.idream.backup.model;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether source and mirror were found to agree after the sync. */
public enum Validation {
    NOT_RUN, PASSED, FAILED, SKIPPED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value an id spells; null for none. */
    @JsonCreator
    public static Validation of(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }
}
