package org.idream.backup.outcome;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a run ended, and the process exit code that says so (SPEC §4). */
public enum RunOutcome {
    SUCCESS(0, "success"),
    FAILED(1, "failed"),
    CONFIG_ERROR(2, "configuration error"),
    LOCKED(3, "locked by another run"),
    PRECONDITION_FAILED(4, "precondition failed"),
    INTERRUPTED_INT(130, "interrupted (SIGINT)"),
    INTERRUPTED_TERM(143, "interrupted (SIGTERM)");

    private final int exitCode;
    private final String text;

    RunOutcome(int exitCode, String text) {
        this.exitCode = exitCode;
        this.text = text;
    }

    public int exitCode() {
        return exitCode;
    }

    public String text() {
        return text;
    }

    /** The report's spelling: lower case, dashes. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value an id spells; null for none. */
    @JsonCreator
    public static RunOutcome of(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }
}
