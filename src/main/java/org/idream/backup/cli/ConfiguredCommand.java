package org.idream.backup.cli;

import java.nio.file.Path;
import java.util.Optional;

import org.idream.backup.config.Key;
import org.idream.backup.config.Settings;
import picocli.CommandLine.Mixin;

/** A command that reads the configuration: {@code --config FILE} and {@code -Dkey=value}, and what it runs with. */
abstract class ConfiguredCommand {
    private final Context context;

    @Mixin
    private ConfigOptions config;

    ConfiguredCommand(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }

    /** The effective configuration, validated (a bad one: exit 2 before anything is written). */
    Settings settings() {
        return config.load(context);
    }

    /** The operator's file this command reads (null: none) and how it was found. */
    ConfigOptions.OperatorFile operatorFile() {
        return config.operatorFile(context);
    }

    /** One key of a configuration that may be invalid as a whole. */
    <T> Optional<T> peek(Key<T> key) {
        return config.peek(context, key);
    }

    /** The installation folder holding {@code config/} and {@code routes/}. */
    Path home() {
        return ConfigOptions.home(context.system());
    }
}
