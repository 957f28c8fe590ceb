package org.idream.backup.rclone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * {@link RcloneListing#parseCsv} (fields copied from its buffer a span at a time) against the char-at-a-time parser
 * it replaced (kept below as the oracle), on random text of commas, quotes, newlines, carriage returns and
 * non-ASCII chars, read in random pieces so that fields, quotes and {@code ""} fall across the buffer's edges.
 */
class CsvOracleTest {
    private static final char[] ALPHABET = {'a', 'b', ',', ',', '"', '"', '\n', '\r', '\u00e9', '\ufffd', ' '};

    @Test
    void spansGiveExactlyWhatTheCharAtATimeParserGave() {
        Random random = new Random(Long.getLong("oracle.seed", 19L));
        int rounds = Integer.getInteger("oracle.rounds", 20) * 1000;
        for (int round = 0; round < rounds; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(round % 100 == 0 ? 200_000 : 120);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            List<List<String>> expected = new ArrayList<>();
            reference(new StringReader(text.toString()), expected::add);
            List<List<String>> actual = new ArrayList<>();
            RcloneListing.parseCsv(new Pieces(text.toString(), random), actual::add);
            int r = round;
            assertEquals(expected, actual, () -> "round " + r + ": " + shown(text.toString()));
        }
    }

    private static String shown(String text) {
        return (text.length() > 300 ? text.substring(0, 300) + "..." : text).replace("\n", "\\n");
    }

    /** Reads its text in pieces of 1 to 70 000 chars (the parser's buffer holds 65 536). */
    private static final class Pieces extends Reader {
        private final String text;
        private final Random random;
        private int at;

        Pieces(String text, Random random) {
            this.text = text;
            this.random = random;
        }

        @Override
        public int read(char[] cbuf, int off, int len) {
            if (at >= text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 8 : 70_000)), text.length() - at);
            text.getChars(at, at + n, cbuf, off);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** The parser before: a char at a time into a StringBuilder. */
    static void reference(Reader in, Consumer<List<String>> each) {
        try {
            char[] buf = new char[1 << 16];
            List<String> fields = new ArrayList<>(16);
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean quoteSeen = false;    // in a quoted field, a quote just read: the end, or the first of ""
            boolean any = false;
            int n;
            while ((n = in.read(buf)) != -1) {
                for (int i = 0; i < n; i++) {
                    char ch = buf[i];
                    if (quoteSeen) {
                        quoteSeen = false;
                        if (ch == '"') {
                            field.append('"');
                            continue;
                        }
                        quoted = false;           // the field's closing quote: this char is read as outside it
                    }
                    if (quoted) {
                        if (ch == '"') {
                            quoteSeen = true;
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
                        each.accept(List.copyOf(fields));
                        fields.clear();
                        field.setLength(0);
                        any = false;
                    } else {
                        field.append(ch);
                        any = true;
                    }
                }
            }
            if (any || field.length() > 0) {
                fields.add(field.toString());
                each.accept(List.copyOf(fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
