package org.idream.backup.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A command line split into words as a POSIX shell splits them, and nothing more: blanks separate words; within
 * '...' every character is itself; within "..." a backslash keeps its meaning only before $ ` " \ and a newline;
 * outside quotes a backslash makes the next character itself. No variable, command, glob or tilde expansion, no
 * redirections or pipes (a hook that wants them says {@code sh -c '...'}). (commons-exec's parser re-quotes
 * arguments that hold blanks, camel-exec's knows only double quotes: neither splits as a shell does.)
 */
public final class Words {
    private Words() {
    }

    /** The words of {@code line}; an unclosed quote or a trailing backslash is an {@link IllegalArgumentException}. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i);
                if (end < 0) {
                    throw new IllegalArgumentException("a ' is not closed");
                }
                word.append(line, i, end);
                i = end + 1;
            } else if (c == '"') {
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("a \" is not closed");
                    }
                    char d = line.charAt(i++);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && i < line.length() && "$`\"\\\n".indexOf(line.charAt(i)) >= 0) {
                        d = line.charAt(i++);
                    }
                    word.append(d);
                }
            } else if (c == '\\') {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("it ends in a \\");
                }
                word.append(line.charAt(i++));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
