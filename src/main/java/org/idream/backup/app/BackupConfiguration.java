package org.idream.backup.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.idream.backup.cephfs.CephFs;
import org.idream.backup.cephfs.MdsRequests;
import org.idream.backup.cephfs.SnapshotSteps;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.fleet.Fleet;
import org.idream.backup.fleet.FleetSteps;
import org.idream.backup.observe.BackupHealthCheck;
import org.idream.backup.observe.Notifier;
import org.idream.backup.observe.RunHistory;
import org.idream.backup.observe.RunMetrics;
import org.idream.backup.observe.RunObserver;
import org.idream.backup.observe.RunObservers;
import org.idream.backup.observe.TerminalProgress;
import org.idream.backup.preconditions.Preconditions;
import org.idream.backup.rclone.RcloneSetupStep;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.report.RunReport;
import org.idream.backup.restore.RestoreSteps;
import org.idream.backup.run.CheckSteps;
import org.idream.backup.run.Hooks;
import org.idream.backup.run.DirectoryResults;
import org.idream.backup.run.DirectorySteps;
import org.idream.backup.run.RunSteps;
import org.idream.backup.safety.Interruption;
import org.idream.backup.safety.Retention;
import org.idream.backup.safety.StartupFacts;
import org.idream.backup.sync.ChangeDetection;
import org.idream.backup.sync.FullSync;
import org.idream.backup.sync.GuidedSync;
import org.idream.backup.verify.VerifySteps;

/**
 * The Camel wiring: every bean the YAML routes call, bound under the name of its class
 * ({@code ref: runSteps} is a {@link RunSteps}), built from the validated settings. The one place where
 * the application's parts are put together.
 */
public final class BackupConfiguration implements CamelConfiguration {
    /** How the process runs: one backup (or restore) and exit, or the daemon. */
    public enum Mode { ONCE, DAEMON }

    private final Path home;
    private final Settings settings;
    private final Mode mode;
    private final RunHistory history = new RunHistory();

    @BindToRegistry("runMetrics")
    private final RunMetrics runMetrics;
    @BindToRegistry("backupHealthCheck")
    private final BackupHealthCheck backupHealthCheck;
    @BindToRegistry("notifier")
    private final Notifier notifier;
    @BindToRegistry("runSteps")
    private final RunSteps runSteps;
    @BindToRegistry("startupFacts")
    private final StartupFacts startupFacts;
    @BindToRegistry("preconditions")
    private final Preconditions preconditions;
    @BindToRegistry("directorySteps")
    private final DirectorySteps directorySteps;
    @BindToRegistry("directoryResults")
    private final DirectoryResults directoryResults = new DirectoryResults();
    @BindToRegistry("snapshotSteps")
    private final SnapshotSteps snapshotSteps;
    @BindToRegistry("changeDetection")
    private final ChangeDetection changeDetection;
    @BindToRegistry("fullSync")
    private final FullSync fullSync;
    @BindToRegistry("guidedSync")
    private final GuidedSync guidedSync;
    @BindToRegistry("processRunner")
    private final ExecRunner processRunner = new ExecRunner();
    @BindToRegistry("rcloneSetupStep")
    private final RcloneSetupStep rcloneSetupStep;
    @BindToRegistry("retention")
    private final Retention retention;
    @BindToRegistry("mdsRequests")
    private final MdsRequests mdsRequests;
    @BindToRegistry("runReport")
    private final RunReport runReport = new RunReport();
    @BindToRegistry("restoreSteps")
    private final RestoreSteps restoreSteps;
    @BindToRegistry("hooks")
    private final Hooks hooks;
    @BindToRegistry("checkSteps")
    private final CheckSteps checkSteps;
    @BindToRegistry("verifySteps")
    private final VerifySteps verifySteps;
    @BindToRegistry("fleet")
    private final FleetSteps fleetSteps;
    private final Fleet fleet;

    /**
     * @param home the installation folder holding {@code routes/}
     * @param full every directory synced in full ({@code --full})
     */
    public BackupConfiguration(Path home, Settings settings, Mode mode, boolean dryRun, boolean full,
            Interruption interruption) {
        this.home = home;
        this.settings = settings;
        this.mode = mode;
        history.load(settings.get(Keys.LOG_DIR));
        fleet = new Fleet(settings);
        fleetSteps = new FleetSteps(fleet);
        runMetrics = new RunMetrics(history, mode == Mode.ONCE ? settings.get(Keys.METRICS_TEXTFILE) : Optional.empty(),
                fleet.enabled() ? Optional.of(fleet.nodeId()) : Optional.empty());
        RunObserver observers = new RunObservers(observers(history, runMetrics));
        backupHealthCheck = new BackupHealthCheck(history, settings.get(Keys.HEALTH_MAX_AGE), fleet::health);
        notifier = new Notifier(settings);
        runSteps = new RunSteps(settings, dryRun, full, interruption, observers);
        startupFacts = new StartupFacts(settings);
        preconditions = new Preconditions(settings, interruption);
        RcloneSync rcloneSync = new RcloneSync(settings, observers::progress);
        rcloneSetupStep = new RcloneSetupStep(settings);
        snapshotSteps = new SnapshotSteps(settings);
        fullSync = new FullSync(rcloneSync);
        guidedSync = new GuidedSync(settings, rcloneSync);
        changeDetection = new ChangeDetection(settings, fullSync, guidedSync, CephFs.XATTRS);
        directorySteps = new DirectorySteps(settings, interruption);
        retention = new Retention(settings);
        mdsRequests = new MdsRequests(settings);
        restoreSteps = new RestoreSteps(settings);
        checkSteps = new CheckSteps(settings);
        hooks = new Hooks(settings);
        verifySteps = new VerifySteps(settings, runMetrics);
    }

    /** History first (metrics read it), then metrics, then the terminal's live lines when there is one. */
    private static List<RunObserver> observers(RunHistory history, RunMetrics metrics) {
        List<RunObserver> all = new ArrayList<>(List.of(history, metrics));
        if (TerminalProgress.available()) {
            TerminalProgress terminal = new TerminalProgress();
            terminal.install();
            all.add(terminal);
        }
        return all;
    }

    /**
     * The registry of the product's metrics, which Camel serves at /observe/metrics as its
     * {@code metricsRegistry}: bound by {@link BackupCamel} before Camel starts, because Camel's metrics
     * look it up before configurations are loaded.
     */
    public Object metricsRegistry() {
        return runMetrics.registry();
    }

    /** What is known of past runs (JMX reads it). */
    public RunHistory history() {
        return history;
    }

    /**
     * Settings has already applied -D and the environment to this product's keys, and validated and
     * normalised them (durations in ms): Camel must not read the raw -D or environment value over them,
     * only fall back to those for keys of its own. The daemon reloads its routes when asked to.
     */
    @Override
    public void configure(CamelContext camel) throws Exception {
        var pc = (PropertiesComponent) camel.getPropertiesComponent();
        pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
        pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
        camel.getTypeConverterRegistry().addTypeConverters(processRunner);   // steps take ProcessRunner.Result
        fleet.bind(camel);
        camel.addService(fleet);                        // stopped with Camel: every lease released
        if (mode == Mode.DAEMON && settings.get(Keys.ROUTES_RELOAD)) {
            camel.addService(new RouteReload(home.resolve("routes")));
        }
    }

    /** This host in its fleet (backup.cluster). */
    public Fleet fleet() {
        return fleet;
    }

    public Settings settings() {
        return settings;
    }
}
