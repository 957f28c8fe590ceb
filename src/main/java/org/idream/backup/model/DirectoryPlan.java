package org.idream.backup.model;

import java.nio.file.Path;

/** One source of a run: where its mirror is, and where this run puts what it displaces. */
public record DirectoryPlan(Path source, Path mirror, Path deletedArea) {

    /** The tag of every log line about this directory, and its key in metrics and reports. */
    public String tag() {
        return source.toString();
    }
}
