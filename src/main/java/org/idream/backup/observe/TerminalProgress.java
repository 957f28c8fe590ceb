package org.idream.backup.observe;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.idream.backup.logging.RunLog;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.Units;
import org.idream.backup.rclone.RcloneStats;

/**
 * At a terminal: one compact live line per directory, kept below the scrolling log. It replaces the
 * console appender: each log line first erases the block, is printed, and the block is drawn again;
 * the block is also redrawn every second. rclone's per-file and progress lines still go to the run's
 * log file, not to the terminal, which shows warnings, errors and the run's own lines.
 */
public final class TerminalProgress implements RunObserver {
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private Thread ticker;

    /** True when standard output is a terminal that understands cursor movement. */
    public static boolean available() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.isEmpty() && !term.equals("dumb");
    }

    /** Puts this terminal in place of the console appender of the root logger. */
    public void install() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withPattern(RunLog.PATTERN).withConfiguration(config).build();
        Appender appender = new AbstractAppender("terminal", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLoggerName().equals("rclone") && event.getLevel().isLessSpecificThan(
                        Level.INFO)) {
                    return; // per-file and progress lines: the live block says it, the run's log keeps them
                }
                print(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
            }
        };
        appender.start();
        config.getRootLogger().removeAppender("console");
        config.getRootLogger().addAppender(appender, null, null);
        ctx.updateLoggers();
    }

    private synchronized void print(String logLine) {
        erase();
        out.print(logLine);
        draw();
    }

    private void erase() {
        if (drawn > 0) {
            out.print("\033[" + drawn + "A\033[J");
            drawn = 0;
        }
    }

    private void draw() {
        for (String line : lines.values()) {
            out.print("\033[2K" + line + "\n");
        }
        drawn = lines.size();
        out.flush();
    }

    private synchronized void redraw() {
        erase();
        draw();
    }

    @Override
    public synchronized void started(BackupRun run) {
        lines.clear();
        for (DirectoryRun d : run.directories()) {
            lines.put(d.tag(), d.tag() + "  waiting");
        }
        ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    redraw();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "terminal-progress");
        ticker.setDaemon(true);
        ticker.start();
        redraw();
    }

    @Override
    public synchronized void progress(String source, RcloneStats s) {
        String pct = s.totalBytes() > 0 ? (s.bytes() * 100 / s.totalBytes()) + "%" : "--%";
        lines.put(source, String.format("%s  %4s  %s/%s  %d/%d files  %s/s  ETA %s%s", source, pct,
                Units.bytes(s.bytes()), Units.bytes(s.totalBytes()), s.transfers(), s.totalTransfers(),
                Units.bytes((long) s.speed()), s.eta() == null ? "-" : Units.duration(s.eta()),
                s.errors() > 0 ? "  errors " + s.errors() : ""));
    }

    @Override
    public synchronized void finished(BackupRun run) {
        if (ticker != null) {
            ticker.interrupt();
        }
        for (DirectoryRun d : run.directories()) {
            lines.put(d.tag(), d.tag() + "  " + d.status().id());
        }
        redraw();
        lines.clear();
        drawn = 0; // the final block stays on the screen
    }
}
