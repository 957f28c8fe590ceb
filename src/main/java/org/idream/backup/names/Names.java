package org.idream.backup.names;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;


/**
 * File names as the bytes they are, whatever the JVM's locale. A {@link Path} keeps the bytes of the name it
 * was made from (a directory's listing, a link's target): only its {@code toString()} can lose them (a name
 * that is not valid UTF-8 reads as U+FFFD). So a name's bytes are read back through its URI, which
 * percent-encodes them, and a Path is made from bytes through a URI; the plain string is used where it is
 * exact (valid UTF-8, with a UTF-8 locale), the common case. Checked on Java 17 (docs/RELIABILITY.md).
 */
public final class Names {
    private static final boolean UTF8_LOCALE = StandardCharsets.UTF_8.equals(jnu());

    private Names() {
    }

    private static Charset jnu() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    /** The bytes of a path's last name. */
    public static byte[] bytes(Path p) {
        Path name = p.getFileName();
        String s = name.toString();
        if (UTF8_LOCALE && s.indexOf('\uFFFD') < 0) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] whole = decode(p.toAbsolutePath().toUri().getRawPath());
        int end = whole.length;
        if (end > 1 && whole[end - 1] == '/' && !s.endsWith("/")) {
            end--;                                          // toUri marks a directory with a trailing slash
        }
        int start = end;
        while (start > 0 && whole[start - 1] != '/') {
            start--;
        }
        byte[] out = new byte[end - start];
        System.arraycopy(whole, start, out, 0, out.length);
        return out;
    }

    /** The bytes of a whole path, made absolute. */
    public static byte[] absoluteBytes(Path p) {
        Path a = p.toAbsolutePath();
        String s = a.toString();
        if (UTF8_LOCALE && s.indexOf('\uFFFD') < 0) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] whole = decode(a.toUri().getRawPath());
        int end = whole.length > 1 && whole[whole.length - 1] == '/' ? whole.length - 1 : whole.length;
        byte[] out = new byte[end];
        System.arraycopy(whole, 0, out, 0, end);
        return out;
    }

    /** A link's target in the listing's form, byte for byte. */
    public static String readLink(Path link) throws IOException {
        Path t = Files.readSymbolicLink(link);
        String s = t.toString();
        if (UTF8_LOCALE && s.indexOf('\uFFFD') < 0) {
            return ListedNames.of(s);
        }
        return ListedNames.of(Posix.readlink(absoluteBytes(link)));
    }

    /** Makes a link at {@code at} (a path whose bytes are exact) to a target given in the listing's form. */
    public static void symlink(Path at, String listedTarget) throws IOException {
        byte[] target = ListedNames.raw(listedTarget);
        if (UTF8_LOCALE && ListedNames.validUtf8(target)) {
            Files.createSymbolicLink(at, Path.of(new String(target, StandardCharsets.UTF_8)));
        } else {
            Posix.symlink(target, absoluteBytes(at));
        }
    }

    /** A path's last name in the listing's form ({@link ListedNames}). */
    public static String listed(Path p) {
        return ListedNames.of(bytes(p));
    }

    /** {@code dir}/{@code rel}, where {@code rel} is a relative path's bytes ('/' between names). */
    public static Path resolve(Path dir, byte[] rel) {
        if (rel.length == 0) {
            return dir;
        }
        if (UTF8_LOCALE && ListedNames.validUtf8(rel)) {
            return dir.resolve(new String(rel, StandardCharsets.UTF_8));
        }
        String base = dir.toAbsolutePath().toUri().getRawPath();
        return Path.of(URI.create("file://" + (base.endsWith("/") ? base : base + "/") + encode(rel)));
    }

    /** {@code dir}/{@code rel}, {@code rel} a relative path in the listing's form. */
    public static Path resolveListed(Path dir, String rel) {
        return resolve(dir, ListedNames.raw(rel));
    }

    /** Percent-encodes every byte but unreserved ASCII and '/'. */
    private static String encode(byte[] rel) {
        StringBuilder out = new StringBuilder(rel.length * 3);
        for (byte x : rel) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] decode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }
}
