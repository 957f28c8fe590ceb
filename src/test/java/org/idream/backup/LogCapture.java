package org.idream.backup;

import java.io.StringWriter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged (any level the root logger passes) while it is open, as text. */
public final class LogCapture implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final String name = "capture-" + System.nanoTime();

    public LogCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.createAppender(PatternLayout.newBuilder()
                .withPattern("[%level{WARN=WARNING}] %msg%n").build(), null, text, name, false, true);
        appender.start();
        ctx.getConfiguration().getRootLogger().addAppender(appender, null, null);
        ctx.updateLoggers();
    }

    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(name);
        ctx.updateLoggers();
    }
}
