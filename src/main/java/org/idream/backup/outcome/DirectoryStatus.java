package org.idream.backup.outcome;

import java.util.Locale;

/** How one directory of a run ended; {@link #id()} is its one spelling in logs, reports, metrics and pings. */
public enum DirectoryStatus {
    NOT_STARTED, RUNNING, SUCCESS, FAILED, REFUSED, MISSING;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A status that counts as a failure of the directory. */
    public boolean failure() {
        return this == FAILED || this == REFUSED || this == MISSING;
    }
}
