package org.idream.backup.tree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * A file's content hash as the manifests record it: SHA-256, in hex, so that an operator can check a copy with
 * {@code sha256sum}. Computed by OpenSSL's libcrypto where the host has it (Debian's libssl3; through JNA's
 * direct mapping, the file read into a direct buffer that libcrypto reads in place), else by the JVM. A run's
 * JVM compiles with C1 only (it starts faster), and C1 has no SHA-256 intrinsic: the JVM hashes at 0.15 GB/s
 * there, libcrypto at 1.6 GB/s with this CPU's SHA instructions (docs/BENCHMARKS.md). Both give the same
 * hash; ContentHashTest holds each to {@code sha256sum}.
 */
public final class ContentHash {
    /** One buffer a thread, reused: a fresh 1 MiB array a file made hashing 20 000 small files GC-bound. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 20]);
    private static final ThreadLocal<ByteBuffer> DIRECT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 20));
    private static final boolean NATIVE = probe();

    private ContentHash() {
    }

    /** libcrypto's digest calls, bound once; pointers as addresses. */
    private static final class Crypto {
        static {
            Native.register(library());
        }

        static native long EVP_sha256();

        static native long EVP_MD_CTX_new();

        static native void EVP_MD_CTX_free(long ctx);

        static native int EVP_DigestInit_ex(long ctx, long type, long engine);

        static native int EVP_DigestUpdate(long ctx, long data, long count);

        static native int EVP_DigestFinal_ex(long ctx, byte[] md, long size);

        private static NativeLibrary library() {
            try {
                return NativeLibrary.getInstance("crypto");
            } catch (UnsatisfiedLinkError e) {
                return NativeLibrary.getInstance("libcrypto.so.3");     // no development link libcrypto.so
            }
        }
    }

    /** Whether libcrypto loads and hashes "abc" as FIPS 180-2 says it must. */
    private static boolean probe() {
        try {
            ByteBuffer abc = ByteBuffer.allocateDirect(3).put("abc".getBytes(StandardCharsets.US_ASCII)).flip();
            return "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".equals(digest(abc, null));
        } catch (Throwable e) {          // no libcrypto, no JNA direct mapping: the JVM's hash
            return false;
        }
    }

    /** Whether the hashes are libcrypto's. */
    public static boolean isNative() {
        return NATIVE;
    }

    public static String sha256(Path file) throws IOException {
        return NATIVE ? nativeSha256(file) : javaSha256(file);
    }

    /** The JVM's SHA-256 of the file's content. */
    static String javaSha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = BUFFER.get();
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** libcrypto's SHA-256 of the file's content. */
    static String nativeSha256(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return digest(DIRECT.get(), in);
        }
    }

    /** The hash of what {@code in} reads through {@code buf}, or of {@code buf}'s content when {@code in} is null. */
    private static String digest(ByteBuffer buf, FileChannel in) throws IOException {
        long at = Pointer.nativeValue(Native.getDirectBufferPointer(buf));
        long ctx = Crypto.EVP_MD_CTX_new();
        if (ctx == 0) {
            throw new OutOfMemoryError("libcrypto: EVP_MD_CTX_new");
        }
        try {
            check(Crypto.EVP_DigestInit_ex(ctx, Crypto.EVP_sha256(), 0), "EVP_DigestInit_ex");
            if (in == null) {
                check(Crypto.EVP_DigestUpdate(ctx, at, buf.remaining()), "EVP_DigestUpdate");
            } else {
                for (int n; (n = in.read(buf.clear())) >= 0; ) {
                    check(Crypto.EVP_DigestUpdate(ctx, at, n), "EVP_DigestUpdate");
                }
            }
            byte[] md = new byte[32];
            check(Crypto.EVP_DigestFinal_ex(ctx, md, 0), "EVP_DigestFinal_ex");
            return HexFormat.of().formatHex(md);
        } finally {
            Crypto.EVP_MD_CTX_free(ctx);
        }
    }

    private static void check(int ok, String call) {
        if (ok != 1) {
            throw new IllegalStateException("libcrypto: " + call + " failed");
        }
    }
}
