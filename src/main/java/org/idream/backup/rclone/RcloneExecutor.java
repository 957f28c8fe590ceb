package org.idream.backup.rclone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.MDC;

/**
 * camel-exec's executor for rclone: the process runs from the argument list camel-exec was given,
 * and its JSON log is streamed into the run's log while it runs (camel-exec's default executor
 * buffers all output until the process ends). The exchange receives, as stdout, the final stats
 * as JSON, and as stderr the last error lines.
 *
 * <p>The directory a call belongs to comes from the logging context ({@value #DIRECTORY}), set by the
 * step that prepared the call on the same thread.
 */
public final class RcloneExecutor implements ExecCommandExecutor {
    public static final String DIRECTORY = "directory";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final java.util.function.BiConsumer<String, RcloneStats> progress;

    /** @param progress told of each stats update: the directory (source path) and the stats */
    public RcloneExecutor(java.util.function.BiConsumer<String, RcloneStats> progress) {
        this.progress = progress;
    }

    @Override
    public ExecResult execute(ExecCommand command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(command.getExecutable());
        argv.addAll(command.getArgs());
        String tag = MDC.get(DIRECTORY) == null ? "rclone" : MDC.get(DIRECTORY);
        RcloneLog log = new RcloneLog(tag, stats -> progress.accept(tag, stats));
        int code;
        try {
            code = RcloneProcess.run(argv, RcloneProcess::discard, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rclone was running", e);
        }
        byte[] stats = JSON.writeValueAsBytes(log.finalStats());
        byte[] errors = String.join("\n", log.lastErrors()).getBytes(StandardCharsets.UTF_8);
        return new ExecResult(command, new ByteArrayInputStream(stats), new ByteArrayInputStream(errors), code);
    }
}
