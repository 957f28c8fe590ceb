package org.idream.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.idream.backup.config.ConfigException;
import org.idream.backup.config.Settings;
import java.util.Optional;

import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.RestoreRequest;
import org.idream.backup.run.RunOutcome;
import org.idream.backup.safety.Interruption;

/**
 * Entry point: reads the command line and the configuration, refuses bad configuration before
 * anything is written (exit 2), then runs once or as a daemon ({@link BackupApp}).
 */
public final class BackupMain {

    private BackupMain() {
    }

    public static void main(String[] args) {
        Interruption interruption = new Interruption();
        interruption.installSignalHandlers();
        System.exit(run(args, System.getenv(), System.getProperties(), interruption));
    }

    /** Everything but the exit and the signal handlers: the exit code. */
    public static int run(String[] args, Map<String, String> env, Properties system) {
        return run(args, env, system, new Interruption());
    }

    static int run(String[] args, Map<String, String> env, Properties system, Interruption interruption) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("backup: " + e.getMessage());
            System.err.println(Arguments.USAGE);
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
        if (arguments.help()) {
            System.out.println(Arguments.USAGE);
            return 0;
        }
        String names = System.getProperty("sun.jnu.encoding", "");
        if (!names.equalsIgnoreCase("UTF-8")) {
            System.err.println("backup: WARNING: the JVM names files in " + names + ", not UTF-8: paths with "
                    + "non-ASCII characters will fail; run with LC_ALL=C.UTF-8 (bin/backup does)");
        }
        Path home = home(system);
        Properties overrides = new Properties();
        overrides.putAll(system);
        overrides.putAll(arguments.overrides());
        Settings settings;
        try {
            settings = Settings.load(home.resolve("config/application.properties"), arguments.config(), env,
                    overrides);
        } catch (ConfigException e) {
            System.err.println("backup: configuration error: " + e.getMessage());
            return RunOutcome.CONFIG_ERROR.exitCode();
        }
        BackupApp app = new BackupApp(home, settings, arguments.dryRun(), interruption);
        return switch (arguments.command()) {
            case BACKUP -> app.run(arguments.once());
            case VERSIONS -> app.versions(arguments.path());
            case RESTORE -> {
                try {
                    yield app.restore(new RestoreRequest(arguments.path(), arguments.to(),
                            Optional.ofNullable(arguments.asOf()).map(RestorePlanner::parseMoment),
                            arguments.dryRun(), arguments.force(), arguments.noLock()));
                } catch (IllegalArgumentException e) {
                    System.err.println("backup: " + e.getMessage());
                    yield RunOutcome.CONFIG_ERROR.exitCode();
                }
            }
        };
    }

    /**
     * The installation folder holding {@code config/} and {@code routes/}: {@code -Dbackup.home}
     * (set by bin/backup), else the folder above the jar's {@code target/}, else the current folder.
     */
    static Path home(Properties system) {
        String set = system.getProperty("backup.home");
        if (set != null && !set.isBlank()) {
            return Path.of(set).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(BackupMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
            if (candidate != null && Files.isDirectory(candidate.resolve("routes"))) {
                return candidate;
            }
        } catch (Exception e) {
            // fall through to the current folder
        }
        return Path.of("").toAbsolutePath();
    }
}
