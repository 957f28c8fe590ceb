package org.idream.backup.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.idream.backup.app.BackupCamel;
import org.idream.backup.app.OneShot;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.logging.RunLog;
import org.idream.backup.restore.AsOf;
import org.idream.backup.restore.RestoreRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/backup restore SOURCE_PATH --to TARGET [--as-of MOMENT] [--force] [--no-lock] [--dry-run]}. */
@Command(name = "restore", mixinStandardHelpOptions = true, synopsisHeading = "usage: ", sortOptions = false,
        description = {"Copies SOURCE_PATH (a file or folder of a source) from the backup into TARGET: as the last "
            + "run left it, or --as-of a moment within the retention window."})
public final class RestoreCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE_PATH", description = "a file or folder of a source, as it was on the Ceph mount")
    private Path path;

    @Option(names = "--to", paramLabel = "TARGET", required = true,
            description = "where to put it: an empty folder (any folder with --force)")
    private Path to;

    @Option(names = "--as-of", paramLabel = "\"YYYY-MM-DD HH:MM[:SS]\"|RUN",
            description = "as the backup held it at that moment (local time; any time this program prints for a run "
                    + "restores that run's state), or as the run of that name left it (`runs` lists them)")
    private String asOf;

    @Option(names = "--force", description = "restore into a folder that is not empty (files the restore brings "
            + "are overwritten)")
    private boolean force;

    @Option(names = "--no-lock", description = "do not wait for a backup (a read-only restore to another disk)")
    private boolean noLock;

    @Option(names = "--dry-run", description = "say what would be restored, from where; copy nothing")
    private boolean dryRun;

    @Option(names = "--ceph-attributes", description = "onto CephFS: give folders back their quotas and layouts "
            + "(ceph.quota.*, ceph.dir.layout) as the backup recorded them")
    private boolean cephAttributes;

    public RestoreCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        RestoreRequest request = new RestoreRequest(path.toAbsolutePath().normalize(), to,
                Optional.ofNullable(asOf).map(AsOf::parse), dryRun, force, noLock, cephAttributes);
        RunLog.level(settings.get(Keys.LOG_LEVEL));
        try (OneShot camel = OneShot.start(home(), settings, dryRun, false,
                context().interruption())) {
            return camel.request(BackupCamel.RESTORE_ROUTE, request, Integer.class);
        }
    }
}
