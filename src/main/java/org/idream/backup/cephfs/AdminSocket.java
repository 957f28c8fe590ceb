package org.idream.backup.cephfs;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.idream.backup.process.Causes;

/**
 * One command to a Ceph daemon's or client's admin socket, as {@code ceph --admin-daemon SOCKET COMMAND} sends
 * it (Ceph's AdminSocketClient): the command as JSON and a NUL, then the answer's length (4 bytes, big-endian)
 * and the answer. No {@code ceph} command needed on the backup host.
 */
final class AdminSocket {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private AdminSocket() {
    }

    /** The answer to {@code prefix} (e.g. {@code perf dump}), as JSON; an IOException after 5 s without one. */
    static JsonNode ask(Path socket, String prefix) throws IOException {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admin-socket");
            t.setDaemon(true);
            return t;
        });
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            Future<byte[]> answer = one.submit(() -> exchange(channel, socket, prefix));
            try {
                return JSON.readTree(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                throw new IOException(socket + ": no answer to '" + prefix + "' in " + TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw Causes.io(e.getCause(), socket.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        } finally {
            one.shutdownNow();
        }
    }

    private static byte[] exchange(SocketChannel channel, Path socket, String prefix) throws IOException {
        channel.connect(UnixDomainSocketAddress.of(socket));
        byte[] command = ("{\"prefix\":" + JSON.writeValueAsString(prefix) + "}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(command.length + 1).put(command).put((byte) 0).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = read(channel, 4);
        int n = length.getInt();
        if (n < 0 || n > 64 << 20) {
            throw new IOException(socket + ": an answer of " + Integer.toUnsignedString(n) + " bytes");
        }
        return read(channel, n).array();
    }

    private static ByteBuffer read(SocketChannel channel, int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(n);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new IOException("the admin socket closed after " + in.position() + " of " + n + " bytes");
            }
        }
        return in.flip();
    }
}
