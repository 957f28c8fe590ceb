package org.idream.backup.model;

import java.util.Locale;

/** Whether source and mirror were found to agree after the sync. */
public enum Validation {
    NOT_RUN, PASSED, FAILED, SKIPPED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
