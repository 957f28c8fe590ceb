package org.idream.backup.names;

import java.io.IOException;
import java.util.Arrays;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few system calls Java cannot make with a name's exact bytes when they are not UTF-8 (a link's target
 * is not a path Java resolves): readlink(2) and symlink(2), through JNA, the same library as the owners'
 * names and CephFS's extended attributes.
 */
final class Posix {
    private interface C extends Library {
        long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

        int symlink(byte[] target, byte[] linkpath) throws LastErrorException;
    }

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

    private static byte[] cString(byte[] b) {
        return Arrays.copyOf(b, b.length + 1);
    }
}
