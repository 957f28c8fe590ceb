package org.idream.backup.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.idream.backup.names.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both ways of hashing a file's content (libcrypto's and the JVM's) give what {@code sha256sum} gives, for files
 * of every size around the buffer's and SHA-256's block (0 bytes, 64, one buffer of 1 MiB and one byte either
 * side, several buffers), named with bytes that are not UTF-8; and libcrypto's is the one in use where the host
 * has it.
 */
class ContentHashTest {
    @TempDir
    Path tmp;

    /** What sha256sum says of these bytes (given on its standard input: a name that is not UTF-8 is not a String). */
    private static String sha256sum(byte[] content) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sha256sum", "-").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(content);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "sha256sum: " + out);
        return out.substring(0, 64);
    }

    @Test
    void bothHashesAreSha256sumsForEverySize() throws Exception {
        int mib = 1 << 20;
        int[] sizes = {0, 1, 3, 55, 56, 63, 64, 65, 4096, mib - 1, mib, mib + 1, 3 * mib + 17};
        Random random = new Random(19);
        for (int size : sizes) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] name = ("caf_ " + size + ".dat").getBytes(StandardCharsets.US_ASCII);
            name[3] = (byte) 0xe9;                                                  // Latin-1 é: not UTF-8
            Path f = Names.resolve(tmp, name);
            Files.write(f, content);
            String expected = sha256sum(content);
            assertEquals(expected, ContentHash.javaSha256(f), "the JVM's hash of " + f.getFileName());
            if (ContentHash.isNative()) {
                assertEquals(expected, ContentHash.nativeSha256(f), "libcrypto's hash of " + f.getFileName());
            }
            assertEquals(expected, ContentHash.sha256(f), "the hash in use of " + f.getFileName());
        }
    }

    @Test
    void libcryptoHashesWhereTheHostHasIt() {
        boolean has = false;
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64")) {
            has |= Files.exists(Path.of(dir, "libcrypto.so.3"));
        }
        assertEquals(has, ContentHash.isNative(), "libcrypto.so.3 on this host: " + has);
    }

    @Test
    void aFileThatIsNotThereIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> ContentHash.sha256(tmp.resolve("gone")));
        assertThrows(IOException.class, () -> ContentHash.sha256(tmp));
    }
}
