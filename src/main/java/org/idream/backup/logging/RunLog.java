package org.idream.backup.logging;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The log file of one run (SPEC §2 step 1): {@code <log-dir>/backup_YYYY-MM-DD_HH-MM.log}, a second
 * run in the same minute gets {@code _2}, never the same file. While the run lasts, a Log4j file
 * appender on the root logger receives every line the console does, from every thread. Runs never
 * overlap (one run at a time), so one appender at a time is the whole story.
 */
public final class RunLog implements AutoCloseable {
    /** The seed's format, {@code 2025-05-23 17:46:02,123 [INFO] message}, with WARN spelled WARNING. */
    /** One line an event: never a stack trace (at DEBUG the product logs one as text: Failures.told). */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} [%level{WARN=WARNING}] %msg%n%throwable{none}";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm");

    private final Path file;
    private final ZonedDateTime started;
    private final FileAppender appender;

    private RunLog(Path file, ZonedDateTime started, FileAppender appender) {
        this.file = file;
        this.started = started;
        this.appender = appender;
    }

    /** Creates the folder if needed, reserves this run's file name and starts writing to it. */
    public static RunLog open(Path logDir, ZonedDateTime at) throws IOException {
        if (!Files.isDirectory(logDir)) {
            Files.createDirectories(logDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-x---")));
        }
        String base = "backup_" + MINUTE.format(at);
        Path file = logDir.resolve(base + ".log");
        for (int n = 2; ; n++) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-r-----")));
                break;
            } catch (FileAlreadyExistsException e) {
                file = logDir.resolve(base + "_" + n + ".log");
            }
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(config).build();
        FileAppender appender = FileAppender.newBuilder()
                .setName("run:" + file)
                .withFileName(file.toString())
                .withAppend(true)
                .setLayout(layout)
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        ctx.updateLoggers();
        return new RunLog(file, at, appender);
    }

    public Path file() {
        return file;
    }

    /** The moment its name was made from: the run's start. */
    public ZonedDateTime started() {
        return started;
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }

    /** Sets the level of the console and of run logs: DEBUG, INFO, WARNING or ERROR. */
    public static void level(String level) {
        Level l = Level.valueOf(level.equals("WARNING") ? "WARN" : level);
        Configurator.setRootLevel(l);
        // Camel's own report of a failed exchange (log4j2.xml turns it off): at DEBUG, for the developer
        Configurator.setLevel("org.apache.camel.processor.errorhandler", l.isMoreSpecificThan(Level.INFO) ? Level.OFF
                : Level.DEBUG);
    }
}
