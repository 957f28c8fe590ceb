package org.idream.backup.rclone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rclone lsf -R --files-only} of one tree, for the validation of SPEC §2 step 10: one walk per
 * tree, with path and size of every file, the same filters and {@code --links} as the sync. The
 * listing is streamed and folded into a {@link TreeSummary}; no per-file list is kept.
 */
public final class RcloneListing {
    private final RcloneSetup setup;

    public RcloneListing(RcloneSetup setup) {
        this.setup = setup;
    }

    public List<String> arguments(Path root) {
        List<String> a = new ArrayList<>(List.of("lsf", "-R", "--files-only", "--csv", "--format", "sp"));
        a.addAll(setup.treeFlags());
        a.addAll(RcloneSetup.jsonLogFlags("NOTICE"));
        a.add(root.toString());
        return a;
    }

    /** Lists {@code root}; rclone's messages go to {@code log}. Throws {@link RcloneFailure} on a failing exit. */
    public TreeSummary summarize(Path root, RcloneLog log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(setup.binary());
        command.addAll(arguments(root));
        TreeSummary.Builder summary = new TreeSummary.Builder();
        int code = RcloneProcess.run(command, out -> parse(out, summary), log);
        if (code != 0) {
            throw new RcloneFailure(code, "listing " + root + " failed"
                    + (log.lastErrors().isEmpty() ? "" : ": " + String.join("; ", log.lastErrors())));
        }
        return summary.build();
    }

    /** Reads CSV records {@code size,path}; a path with a comma, quote or newline arrives quoted. */
    static void parse(Reader source, TreeSummary.Builder summary) {
        Reader in = new java.io.BufferedReader(source, 1 << 16);
        try {
            List<String> fields = new ArrayList<>(2);
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int c;
            while ((c = in.read()) != -1) {
                char ch = (char) c;
                if (quoted) {
                    if (ch == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next == -1) {
                                break;
                            }
                            in.reset();
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                    any = true;
                } else if (ch == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                } else if (ch == '\n') {
                    fields.add(field.toString());
                    record(fields, summary);
                    fields.clear();
                    field.setLength(0);
                    any = false;
                } else {
                    field.append(ch);
                    any = true;
                }
            }
            if (any || field.length() > 0) {
                fields.add(field.toString());
                record(fields, summary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(List<String> fields, TreeSummary.Builder summary) {
        if (fields.size() != 2) {
            throw new IllegalStateException("unexpected line in rclone lsf output: " + fields);
        }
        summary.add(fields.get(1), Long.parseLong(fields.get(0)));
    }
}
