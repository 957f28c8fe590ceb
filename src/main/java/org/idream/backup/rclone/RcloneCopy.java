package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.process.ProcessRunner;

/**
 * {@code rclone copy} and {@code rclone copyto} for restores: the only place that knows their flags.
 * Never {@code sync}: a restore adds files, it never deletes any.
 */
public final class RcloneCopy {
    private final RcloneSetup setup;
    private final Duration progressInterval;
    private final RcloneLog log = new RcloneLog("restore", s -> { });

    public RcloneCopy(RcloneSetup setup, Duration progressInterval) {
        this.setup = setup;
        this.progressInterval = progressInterval;
    }

    /** {@code rclone copy ROOT TARGET --links}: the whole tree, or only the paths listed in {@code list}. */
    public List<String> copyArguments(Path root, Path target, Path list) {
        List<String> a = new ArrayList<>(List.of("copy", root.toString(), target.toString(), "--links"));
        if (list != null) {
            a.addAll(List.of("--files-from-raw", list.toString(), "--no-traverse"));
        } else {
            a.add("--create-empty-src-dirs"); // the whole tree: its empty folders too
        }
        a.addAll(setup.configFlags());
        a.addAll(RcloneSetup.jsonLogFlags("INFO"));
        a.addAll(RcloneSetup.statsFlags(progressInterval));
        return a;
    }

    public void copy(Path root, Path target, Path list) throws IOException, InterruptedException {
        run(copyArguments(root, target, list), "copying from " + root);
    }

    /** {@code rclone copyto FROM TO}: one file, under the name it had. */
    public void copyTo(Path from, Path to) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("copyto", from.toString(), to.toString()));
        a.addAll(setup.configFlags());
        a.addAll(RcloneSetup.jsonLogFlags("INFO"));
        run(a, "copying " + from);
    }

    private void run(List<String> arguments, String what) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(setup.binary());
        argv.addAll(arguments);
        int code = ProcessRunner.run(argv, null, StandardCharsets.UTF_8, ProcessRunner::discard, log);
        if (code != 0) {
            throw new RcloneFailure(code, what + (log.lastErrors().isEmpty() ? "" : ": "
                    + String.join("; ", log.lastErrors())));
        }
    }
}
