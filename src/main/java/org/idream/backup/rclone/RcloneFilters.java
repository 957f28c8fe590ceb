package org.idream.backup.rclone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.idream.backup.process.ProcessRunner;

/**
 * The filter rules of the exclude file as rclone itself compiles them ({@code rclone --dump filters}),
 * applied where this product decides what a sync would consider without running one (the change-guided
 * sync): rclone parses the file, so its globs, anchors and directory rules mean exactly what they mean to
 * rclone. A path is matched as rclone names it, relative to the source: the first rule that matches
 * decides; none means included. Directories are matched with a trailing {@code /} against the
 * directory rules.
 */
public final class RcloneFilters {
    /** No exclude file: everything is included. */
    public static final RcloneFilters NONE = new RcloneFilters(List.of(), List.of());

    private record Rule(boolean include, Pattern pattern) {
    }

    private final List<Rule> fileRules;
    private final List<Rule> dirRules;

    private RcloneFilters(List<Rule> fileRules, List<Rule> dirRules) {
        this.fileRules = fileRules;
        this.dirRules = dirRules;
    }

    /**
     * The rules of {@code setup}'s exclude file, compiled by rclone; {@link #NONE} without one.
     *
     * @throws IOException rclone could not be run, or printed rules Java cannot read (a POSIX class)
     */
    public static RcloneFilters of(RcloneSetup setup) throws IOException, InterruptedException {
        if (setup.excludeFile().isEmpty()) {
            return NONE;
        }
        Path empty = Files.createTempDirectory("ceph-backup-filters");
        try {
            List<String> argv = new ArrayList<>(List.of(setup.binary(), "lsf", "--max-depth", "1", "--dump", "filters",
                    "--exclude-from", setup.excludeFile().get().toString()));
            argv.addAll(setup.configFlags());
            argv.add(empty.toString());
            ProcessRunner.Result r = ProcessRunner.capture(argv, Duration.ofMinutes(1));
            if (r.exit() != 0) {
                throw new IOException("rclone --dump filters failed (exit " + r.exit() + "): " + r.firstLine());
            }
            return parse(r.out() + "\n" + r.err());
        } finally {
            Files.deleteIfExists(empty);
        }
    }

    /** Reads the rules from rclone's dump: {@code --- File filter rules ---} then {@code --- Directory filter rules ---}. */
    static RcloneFilters parse(String dump) throws IOException {
        List<Rule> files = new ArrayList<>();
        List<Rule> dirs = new ArrayList<>();
        List<Rule> into = null;
        boolean seen = false;
        for (String line : dump.lines().toList()) {
            if (line.startsWith("--- File filter rules ---")) {
                into = files;
                seen = true;
            } else if (line.startsWith("--- Directory filter rules ---")) {
                into = dirs;
            } else if (line.startsWith("--- end filters ---")) {
                into = null;
            } else if (into != null && (line.startsWith("+ ") || line.startsWith("- "))) {
                String regex = line.substring(2);
                if (regex.contains("[[:")) {
                    throw new IOException("the exclude file uses a character class (" + regex + ") this product does "
                            + "not read the way rclone does");
                }
                try {
                    into.add(new Rule(line.charAt(0) == '+', Pattern.compile(regex)));
                } catch (PatternSyntaxException e) {
                    throw new IOException("rclone's rule " + regex + " is not a Java pattern: " + e.getDescription());
                }
            }
        }
        if (!seen) {
            throw new IOException("rclone printed no filter rules");
        }
        return new RcloneFilters(List.copyOf(files), List.copyOf(dirs));
    }

    /** True when no rule excludes anything: every file of the tree is in the sync. */
    public boolean none() {
        return fileRules.isEmpty() && dirRules.isEmpty();
    }

    /** Whether a sync considers this file (or link: {@code NAME.rclonelink}), given as rclone names it. */
    public boolean includesFile(String remote) {
        return decide(fileRules, remote);
    }

    /** Whether a sync goes into this directory, given as rclone names it, without a trailing slash. */
    public boolean includesDirectory(String remote) {
        return decide(dirRules, remote + "/");
    }

    private static boolean decide(List<Rule> rules, String path) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(path).find()) {
                return rule.include();
            }
        }
        return true;
    }
}
