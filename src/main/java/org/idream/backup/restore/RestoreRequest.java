package org.idream.backup.restore;

import java.nio.file.Path;
import java.util.Optional;

/** {@code bin/backup restore SOURCE_PATH --to TARGET [--as-of ...] [--dry-run] [--force] [--no-lock] [--ceph-attributes]}. */
public record RestoreRequest(Path path, Path target, Optional<AsOf> asOf, boolean dryRun, boolean force,
        boolean noLock, boolean cephAttributes) {
}
