package org.idream.backup.names;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Names as rclone lists them with {@code lsf} and takes them in {@code --files-from-raw} ("the listing's
 * form"), one char per byte ({@link BYTES}): any name a POSIX file system allows, byte for
 * byte. A name's valid UTF-8 is kept, but for control characters, written as rclone's symbols (a newline as
 * U+240A, DEL as U+2421; a literal such symbol gets U+201B before it); bytes that are not UTF-8 stay as
 * they are (checked with rclone 1.60: {@code lsf} prints them raw, {@code --files-from-raw} finds them).
 * The manifests record paths in this form.
 */
public final class ListedNames {
    /** How the listing's form is held in a Java string: one char per byte. */
    public static final Charset BYTES = StandardCharsets.ISO_8859_1;

    private ListedNames() {
    }

    /** A name (or a relative path: '/' stays '/'), as its raw bytes, in the listing's form. */
    public static String of(byte[] raw) {
        if (printableAscii(raw)) {
            return new String(raw, BYTES);    // most names: as they are
        }
        StringBuilder out = new StringBuilder(raw.length + 8);
        int i = 0;
        while (i < raw.length) {
            int n = sequence(raw, i);
            if (n < 0) {
                out.append((char) (raw[i] & 0xff));      // not UTF-8: the byte as it is
                i++;
                continue;
            }
            int cp = new String(raw, i, n, StandardCharsets.UTF_8).codePointAt(0);
            String enc;
            if (cp < 0x20) {
                enc = new String(Character.toChars(0x2400 + cp));
            } else if (cp == 0x7F) {
                enc = "\u2421";
            } else if (symbol(cp)) {
                enc = "\u201B" + new String(Character.toChars(cp));
            } else {
                enc = new String(raw, i, n, StandardCharsets.UTF_8);
            }
            for (byte b : enc.getBytes(StandardCharsets.UTF_8)) {
                out.append((char) (b & 0xff));
            }
            i += n;
        }
        return out.toString();
    }

    /** A name (or a relative path) in the listing's form, as the raw bytes it names. */
    public static byte[] raw(String listed) {
        byte[] b = listed.getBytes(BYTES);
        if (printableAscii(b)) {
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        int i = 0;
        while (i < b.length) {
            int n = sequence(b, i);
            if (n < 0) {
                out.write(b[i]);
                i++;
                continue;
            }
            int cp = new String(b, i, n, StandardCharsets.UTF_8).codePointAt(0);
            if (cp == 0x201B && i + n < b.length) {
                int m = sequence(b, i + n);
                if (m > 0 && symbol(new String(b, i + n, m, StandardCharsets.UTF_8).codePointAt(0))) {
                    out.write(b, i + n, m);          // a literal symbol
                    i += n + m;
                    continue;
                }
            }
            if (cp >= 0x2400 && cp <= 0x241F) {
                out.write(cp - 0x2400);
            } else if (cp == 0x2421) {
                out.write(0x7F);
            } else {
                out.write(b, i, n);
            }
            i += n;
        }
        return out.toByteArray();
    }

    /** The listing's form of a Java string (a name Java could represent: valid UTF-8). */
    public static String of(String javaName) {
        return of(javaName.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The name rclone's filters see for a name in the listing's form: its UTF-8 as text, with rclone's symbols
     * (bytes that are not UTF-8 as U+FFFD).
     */
    public static String remote(String listed) {
        return new String(listed.getBytes(BYTES), StandardCharsets.UTF_8);
    }

    /**
     * A name in the listing's form shown readably for a log line or a listing: its text, control characters
     * as {@code \n}, {@code \t}, {@code \x01}, a backslash as {@code \\}, bytes that are not UTF-8 as
     * {@code \xe9}.
     */
    public static String escaped(String listed) {
        byte[] raw = raw(listed);
        StringBuilder out = new StringBuilder(raw.length);
        int i = 0;
        while (i < raw.length) {
            int n = sequence(raw, i);
            if (n < 0) {
                out.append(String.format("\\x%02x", raw[i] & 0xff));
                i++;
                continue;
            }
            int cp = new String(raw, i, n, StandardCharsets.UTF_8).codePointAt(0);
            switch (cp) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        out.append(String.format("\\x%02x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
            i += n;
        }
        return out.toString();
    }

    /** True when the bytes are valid UTF-8 (text a command line can carry). */
    public static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean printableAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x == 0x7F) {     // bytes above 0x7F are negative
                return false;
            }
        }
        return true;
    }

    private static boolean symbol(int cp) {
        return (cp >= 0x2400 && cp <= 0x241F) || cp == 0x2421;
    }

    /** The length of the valid UTF-8 sequence at {@code i}, or -1 when the bytes there are not one. */
    private static int sequence(byte[] b, int i) {
        int lead = b[i] & 0xff;
        int n = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : -1;
        if (n < 0 || i + n > b.length) {
            return -1;
        }
        if (n == 1) {
            return 1;
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.decode(ByteBuffer.wrap(b, i, n));
            return n;
        } catch (CharacterCodingException e) {
            return -1;
        }
    }
}
