package org.idream.backup.model;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a directory is synced in a run; {@link #id()} is its one spelling in the log, the report, the
 * directory's record and {@code runs}.
 */
public enum SyncKind {
    /** {@code rclone sync} of the whole tree. */
    FULL,
    /** Guided by CephFS's recursive change times: only what changed since the last run. */
    RCTIME,
    /** Guided by a stat walk of the source compared with the last run's manifest (any file system). */
    MANIFEST;

    /** A change-guided sync: only what changed since the last run. */
    public boolean guided() {
        return this != FULL;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind an id spells; null for none. */
    @JsonCreator
    public static SyncKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElse(null);
    }
}
