package org.idream.backup;

import java.util.Map;
import java.util.Properties;

import org.idream.backup.cli.BackupCommand;
import org.idream.backup.cli.CheckCommand;
import org.idream.backup.cli.ConfigCommand;
import org.idream.backup.cli.Context;
import org.idream.backup.cli.DiffCommand;
import org.idream.backup.cli.FleetCommand;
import org.idream.backup.cli.LsCommand;
import org.idream.backup.cli.RestoreCommand;
import org.idream.backup.cli.RunsCommand;
import org.idream.backup.cli.VerifyCommand;
import org.idream.backup.cli.VersionsCommand;
import org.idream.backup.config.ConfigException;
import org.idream.backup.outcome.Failures;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.safety.Interruption;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Entry point: the command line (picocli: {@code ceph-backup [--once]}, named as the launcher was invoked, {@code restore}, {@code versions},
 * {@code check}, {@code config}, {@code runs}, {@code fleet}, {@code verify}), each command a class of
 * {@code org.idream.backup.cli}. A usage error or a bad configuration exits 2 with one clear line before
 * anything is written; whatever stops a command is told here, once, with its exit code.
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

    public static int run(String[] args, Map<String, String> env, Properties system, Interruption interruption) {
        Context context = new Context(env, system, interruption);
        CommandLine cli = new CommandLine(new BackupCommand(context))
                .addSubcommand(new RestoreCommand(context))
                .addSubcommand(new VersionsCommand(context))
                .addSubcommand(new CheckCommand(context))
                .addSubcommand(new ConfigCommand(context))
                .addSubcommand(new RunsCommand(context))
                .addSubcommand(new FleetCommand(context))
                .addSubcommand(new VerifyCommand(context))
                .addSubcommand(new DiffCommand(context))
                .addSubcommand(new LsCommand(context));
        String name = context.command();
        cli.setCommandName(name);
        cli.getCommandSpec().usageMessage().footer(BackupCommand.footer(name, context.system()));
        cli.setHelpFactory(BackupMain::help);
        cli.setParameterExceptionHandler((e, a) -> usageError(e, name));
        cli.setExecutionExceptionHandler((e, command, parsed) -> failed(e, name));
        for (String a : args) {
            if (a.startsWith("-D=")) {      // what picocli's help once showed: not a form of -D
                return usageError(new ParameterException(cli, a + ": not a setting (-Dkey=value or -D key=value)"),
                        name);
            }
            if (a.equals("--")) {
                break;
            }
        }
        return cli.execute(args);
    }

    /** The usage help, with {@code -D} shown as it is typed: {@code -Dkey=value} (picocli would print {@code -D=key=value}). */
    private static CommandLine.Help help(CommandLine.Model.CommandSpec spec, CommandLine.Help.ColorScheme colors) {
        return new CommandLine.Help(spec, colors) {
            @Override
            public CommandLine.Help.IParamLabelRenderer parameterLabelRenderer() {
                CommandLine.Help.IParamLabelRenderer usual = super.parameterLabelRenderer();
                return new CommandLine.Help.IParamLabelRenderer() {
                    @Override
                    public CommandLine.Help.Ansi.Text renderParameterLabel(CommandLine.Model.ArgSpec arg,
                            CommandLine.Help.Ansi ansi, java.util.List<CommandLine.Help.Ansi.IStyle> styles) {
                        if (arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("-D")) {
                            return ansi.new Text(o.paramLabel(), colors);
                        }
                        return usual.renderParameterLabel(arg, ansi, styles);
                    }

                    /** Between a short option and its value in the option list: -D is the only one with a value. */
                    @Override
                    public String separator() {
                        return "";
                    }
                };
            }
        };
    }

    /** A usage error: one line saying what is wrong (with the nearest known option for a typo), then the usage. */
    private static int usageError(ParameterException e, String name) {
        CommandLine command = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            message = "unknown argument '" + arg + "'" + (u.getSuggestions().isEmpty() ? ""
                    : " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)");
        }
        command.getErr().println(name + ": " + message);
        command.usage(command.getErr());
        command.getErr().flush();
        return RunOutcome.CONFIG_ERROR.exitCode();
    }

    /** A command stopped: one line (a stack trace after it only for the unexpected); its exit code. */
    private static int failed(Exception e, String name) {
        return Failures.told(System.err, e, f -> name + ": " + (f instanceof ConfigException ? "configuration error: "
                : "") + f.getMessage()).outcome().exitCode();
    }
}
