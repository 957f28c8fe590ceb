package org.idream.backup.rclone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.names.ListedNames;
import org.idream.backup.process.ProcessRunner;

/**
 * {@code rclone lsf -R --files-only} of one tree, for the validation of SPEC §2 step 10: one walk per
 * tree, with path, size and modification time of every file, the same filters and {@code --links} as
 * the sync. The listing is streamed: folded into a {@link TreeSummary}, and handed record by record
 * to whoever else wants it (the run manifest); no per-file list is kept.
 */
public final class RcloneListing {
    /** How listings are read: one char per byte, so that any file name survives unchanged. */
    public static final Charset BYTES = ListedNames.BYTES;

    /** How rclone names a symbolic link with {@code --links}. */
    public static final String LINK_SUFFIX = ".rclonelink";
    private final RcloneSetup setup;

    public RcloneListing(RcloneSetup setup) {
        this.setup = setup;
    }

    public List<String> arguments(Path root) {
        List<String> a = new ArrayList<>(List.of("lsf", "-R", "--files-only", "--csv", "--format", "spt"));
        a.addAll(setup.treeFlags());
        a.addAll(RcloneSetup.jsonLogFlags("NOTICE"));
        a.add(root.toString());
        return a;
    }

    /** Lists {@code root}; rclone's messages go to {@code log}. Throws {@link RcloneFailure} on a failing exit. */
    public TreeSummary summarize(Path root, RcloneLog log) throws IOException, InterruptedException {
        return summarize(root, log, record -> { });
    }

    /**
     * Lists {@code root}, also giving each record ({@code size, path, modtime}) to {@code each}. Paths
     * come as rclone printed them, one char per byte ({@link #BYTES}): a name that is not valid UTF-8
     * stays exactly what it is on disk.
     */
    public TreeSummary summarize(Path root, RcloneLog log, Consumer<String[]> each)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(setup.binary());
        command.addAll(arguments(root));
        TreeSummary.Builder summary = new TreeSummary.Builder();
        int code = ProcessRunner.run(command, null, BYTES, out -> parseCsv(out, fields -> {
            if (fields.size() != 3) {
                throw new IllegalStateException("unexpected line in rclone lsf output: " + fields);
            }
            summary.add(fields.get(1), Long.parseLong(fields.get(0)));
            each.accept(fields.toArray(String[]::new));
        }), log);
        if (code != 0) {
            throw new RcloneFailure(code, "listing " + root + " failed"
                    + (log.lastErrors().isEmpty() ? "" : ": " + String.join("; ", log.lastErrors())));
        }
        return summary.build();
    }

    /**
     * Reads CSV records; a field with a comma, quote or newline arrives quoted ({@code ""} inside for a quote).
     * Read a buffer at a time (a manifest of a million entries is some 100 million chars).
     */
    public static void parseCsv(Reader in, Consumer<List<String>> each) {
        try {
            char[] buf = new char[1 << 16];
            List<String> fields = new ArrayList<>(16);
            StringBuilder field = new StringBuilder();   // a field that spans two buffers, or quotes inside
            boolean quoted = false;
            boolean quoteSeen = false;    // in a quoted field, a quote just read: the end, or the first of ""
            boolean any = false;
            int n;
            while ((n = in.read(buf)) != -1) {
                int span = 0;             // where the field's chars not yet taken start: a field is a copy of them
                for (int i = 0; i < n; i++) {
                    char ch = buf[i];
                    if (quoteSeen) {
                        quoteSeen = false;
                        if (ch == '"') {
                            field.append('"');
                            span = i + 1;
                            continue;
                        }
                        quoted = false;           // the field's closing quote: this char is read as outside it
                    }
                    if (quoted) {
                        if (ch == '"') {
                            field.append(buf, span, i - span);
                            quoteSeen = true;
                            span = i + 1;
                        }
                    } else if (ch == '"') {
                        field.append(buf, span, i - span);
                        quoted = true;
                        any = true;
                        span = i + 1;
                    } else if (ch == ',') {
                        fields.add(take(field, buf, span, i));
                        any = true;
                        span = i + 1;
                    } else if (ch == '\n') {
                        fields.add(take(field, buf, span, i));
                        each.accept(List.copyOf(fields));
                        fields.clear();
                        any = false;
                        span = i + 1;
                    } else {
                        any = true;
                    }
                }
                field.append(buf, span, n - span);
            }
            if (any || field.length() > 0) {
                fields.add(field.toString());
                each.accept(List.copyOf(fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field: {@code buf[from, to)} after what {@code field} holds of it (emptied). */
    private static String take(StringBuilder field, char[] buf, int from, int to) {
        if (field.length() == 0) {
            return new String(buf, from, to - from);
        }
        field.append(buf, from, to - from);
        String s = field.toString();
        field.setLength(0);
        return s;
    }
}
