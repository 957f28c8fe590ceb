package org.idream.backup.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

/**
 * The types of configuration keys ({@link Type}): each parser turns the raw text into a typed value or
 * throws {@link IllegalArgumentException} with a short reason (the caller adds the key and the value).
 */
final class Types {
    private static final Pattern DURATION_TEXT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Types() {
    }

    static final Type<String> TEXT = new Type<>("text", Types::text);
    static final Type<Path> PATH = new Type<>("absolute path", Types::absolutePath);
    static final Type<Optional<Path>> OPTIONAL_PATH = new Type<>("absolute path, or empty", Types::optionalAbsolutePath);
    static final Type<List<Path>> PATHS = new Type<>("comma-separated absolute paths", Types::absolutePaths);
    static final Type<Boolean> BOOL = new Type<>("true or false", Types::bool);
    static final Type<Duration> DURATION = new Type<>("duration: 30s, 2m, 1h30m, 7d", Types::duration);
    static final Type<Optional<Duration>> OPTIONAL_DURATION = new Type<>("duration, or empty",
            raw -> raw.isBlank() ? Optional.empty() : Optional.of(duration(raw)));
    static final Type<Optional<String>> OPTIONAL_TEXT = new Type<>("text, or empty",
            raw -> raw.isBlank() ? Optional.empty() : Optional.of(raw.strip()));
    static final Type<List<Path>> OPTIONAL_PATHS = new Type<>("comma-separated absolute paths, or empty",
            raw -> raw.isBlank() ? List.of() : absolutePaths(raw));
    static final Type<Cluster> CLUSTER = new Type<>("none, file:<directory> or zookeeper:<host:port,...>",
            Cluster::parse);
    static final Type<String> CRON = new Type<>("Quartz cron expression", Types::cron);
    static final Type<String> LOG_LEVEL = new Type<>("DEBUG, INFO, WARNING or ERROR", Types::logLevel);
    static final Type<Optional<String>> OPTIONAL_URL = new Type<>("http(s) URL, or empty", Types::optionalHttpUrl);
    static final Type<List<String>> COMMAND = new Type<>("command line, split on spaces, or empty",
            Types::optionalCommand);
    static final Type<List<String>> SHELL_WORDS = new Type<>("command line, its words split as a shell would (quotes, "
            + "backslashes; no expansion), or empty", Types::shellWords);
    /** Camel's own keys: passed to Camel as they are, Camel checks them. */
    static final Type<String> CAMEL = new Type<>("Camel", raw -> raw);

    static Type<Integer> number(int min, int max) {
        return new Type<>("whole number " + min + "-" + max, raw -> wholeNumber(raw, min, max));
    }

    static Type<Optional<Integer>> optionalNumber(int min, int max) {
        return new Type<>("whole number " + min + "-" + max + ", or empty", raw -> optionalWholeNumber(raw, min, max));
    }

    static String text(String raw) {
        if (raw.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return raw.strip();
    }

    static Path absolutePath(String raw) {
        String s = text(raw);
        Path p = Path.of(s);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute path");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException("must not contain '..'");
            }
        }
        return p.normalize();
    }

    static Optional<Path> optionalAbsolutePath(String raw) {
        return raw.isBlank() ? Optional.empty() : Optional.of(absolutePath(raw));
    }

    static List<Path> absolutePaths(String raw) {
        List<Path> paths = new ArrayList<>();
        for (String item : raw.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            try {
                paths.add(absolutePath(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + item.strip() + "' " + e.getMessage());
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("must list at least one directory");
        }
        return List.copyOf(paths);
    }

    static int wholeNumber(String raw, int min, int max) {
        String s = text(raw);
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return (int) v;
    }

    static Optional<Integer> optionalWholeNumber(String raw, int min, int max) {
        return raw.isBlank() ? Optional.empty() : Optional.of(wholeNumber(raw, min, max));
    }

    static boolean bool(String raw) {
        String s = text(raw);
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    /** Durations: {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 7d} (days, as systemd and Prometheus write them). */
    static Duration duration(String raw) {
        String s = text(raw);
        Matcher m = DURATION_TEXT.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not a duration (examples: 30s, 2m, 1h30m, 7d)");
        }
        long seconds = 0;
        long[] unit = {86400, 3600, 60, 1};
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null) {
                seconds += Long.parseLong(m.group(g)) * unit[g - 1];
            }
        }
        return Duration.ofSeconds(seconds);
    }

    /** One of a few words, as written in lower case. */
    static Type<String> choice(String... words) {
        List<String> allowed = List.of(words);
        String label = String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
        return new Type<>(label, raw -> {
            String s = text(raw).toLowerCase(Locale.ROOT);
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException("must be " + label);
            }
            return s;
        });
    }

    static String cron(String raw) {
        String s = text(raw);
        try {
            new CronExpression(s);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a valid Quartz cron expression (" + e.getMessage() + ")");
        }
        return s;
    }

    static String logLevel(String raw) {
        String s = text(raw).toUpperCase(Locale.ROOT);
        if (!List.of("DEBUG", "INFO", "WARNING", "ERROR").contains(s)) {
            throw new IllegalArgumentException("must be DEBUG, INFO, WARNING or ERROR");
        }
        return s;
    }

    static Optional<String> optionalHttpUrl(String raw) {
        if (raw.isBlank()) {
            return Optional.empty();
        }
        String s = raw.strip();
        try {
            URI uri = new URI(s);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an http:// or https:// URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getMessage() + ")");
        }
        return Optional.of(s);
    }

    /** A command line split on whitespace into an argument list; never given to a shell. */
    static List<String> optionalCommand(String raw) {
        return raw.isBlank() ? List.of() : List.of(raw.strip().split("\\s+"));
    }

    private static List<String> shellWords(String raw) {
        List<String> words = Words.split(raw);
        if (!words.isEmpty() && words.get(0).contains("=")) {
            throw new IllegalArgumentException("the command's first word '" + words.get(0) + "' holds a '=': name "
                    + "the program first (env NAME=VALUE ... if it needs a variable)");
        }
        return words;
    }
}
