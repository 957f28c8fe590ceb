package org.idream.backup.model;

/** What a sync moved: files and bytes transferred, files moved into the deleted area, errors counted. */
public record Transfers(long files, long bytes, long movedToDeleted, long errors) {
    public static final Transfers NONE = new Transfers(0, 0, 0, 0);
}
