package org.idream.backup.names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few system calls Java cannot make with a name's exact bytes when they are not UTF-8 (a link's target
 * is not a path Java resolves), or not at all without following a link: readlink(2), symlink(2) and the
 * extended attributes' l*xattr(2), through JNA, the same library as the owners' names and CephFS's
 * recursive statistics.
 */
final class Posix {
    private interface C extends Library {
        long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

        int symlink(byte[] target, byte[] linkpath) throws LastErrorException;

        long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

        long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

        long getxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

        int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;
    }

    /** errno values this product tells apart. */
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;
    static final int ERANGE = 34;

    private static final C LIBC = Native.load("c", C.class);

    private Posix() {
    }

    static byte[] readlink(byte[] path) throws IOException {
        byte[] buf = new byte[4096];
        try {
            long n = LIBC.readlink(cString(path), buf, buf.length);
            return Arrays.copyOf(buf, (int) n);
        } catch (LastErrorException e) {
            throw new IOException("readlink: " + e.getMessage(), e);
        }
    }

    static void symlink(byte[] target, byte[] link) throws IOException {
        try {
            LIBC.symlink(cString(target), cString(link));
        } catch (LastErrorException e) {
            throw new IOException("symlink: " + e.getMessage(), e);
        }
    }

    /** The names of a path's extended attributes (not following a link); none where the file system keeps none. */
    static List<String> listxattr(byte[] path) throws IOException {
        byte[] p = cString(path);
        for (int size = 1024; ; size *= 4) {
            byte[] buf = new byte[size];
            try {
                long n = LIBC.llistxattr(p, buf, buf.length);
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == 0) {
                        names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                return names;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOTSUP) {
                    return List.of();
                }
                if (e.getErrorCode() != ERANGE || size > (1 << 24)) {
                    throw new IOException("listxattr: " + e.getMessage(), e);
                }
            }
        }
    }

    /** One extended attribute's value (of a link itself, not where it points); null when the path has none of that name. */
    static byte[] getxattr(byte[] path, String name) throws IOException {
        return getxattr(path, name, false);
    }

    /** One extended attribute's value, following a link when {@code follow}; null when the path has none of that name. */
    static byte[] getxattr(byte[] path, String name, boolean follow) throws IOException {
        byte[] p = cString(path);
        byte[] n = cString(name.getBytes(StandardCharsets.UTF_8));
        for (int size = 4096; ; size *= 4) {
            byte[] buf = new byte[size];
            try {
                long len = follow ? LIBC.getxattr(p, n, buf, buf.length) : LIBC.lgetxattr(p, n, buf, buf.length);
                return Arrays.copyOf(buf, (int) len);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
                    return null;
                }
                if (e.getErrorCode() != ERANGE || size > (1 << 24)) {
                    throw new IOException("getxattr " + name + ": " + e.getMessage(), e);
                }
            }
        }
    }

    static void setxattr(byte[] path, String name, byte[] value) throws IOException {
        try {
            LIBC.lsetxattr(cString(path), cString(name.getBytes(StandardCharsets.UTF_8)), value, value.length, 0);
        } catch (LastErrorException e) {
            throw new IOException("setxattr " + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] cString(byte[] b) {
        return Arrays.copyOf(b, b.length + 1);
    }
}
