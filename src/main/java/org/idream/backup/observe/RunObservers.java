package org.idream.backup.observe;

import java.util.List;
import java.util.function.Consumer;

import org.idream.backup.model.BackupRun;
import org.idream.backup.rclone.RcloneStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All the observers, told in turn; one that throws is logged and skipped, the run goes on. */
public final class RunObservers implements RunObserver {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final List<RunObserver> observers;

    public RunObservers(List<RunObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void started(BackupRun run) {
        each(o -> o.started(run));
    }

    @Override
    public void progress(String source, RcloneStats stats) {
        each(o -> o.progress(source, stats));
    }

    @Override
    public void finished(BackupRun run) {
        each(o -> o.finished(run));
    }

    @Override
    public void closed(BackupRun run) {
        each(o -> o.closed(run));
    }

    private void each(Consumer<RunObserver> call) {
        for (RunObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("{}: {}", o.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
