package org.idream.backup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one process runner: argument lists, output, timeouts that stop the whole tree. */
class ProcessRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void anArgumentIsPassedWholeNeverThroughAShell() throws Exception {
        Path odd = tmp.resolve("a name with spaces; $(touch pwned) and 'quotes'");
        Files.writeString(odd, "content");
        ProcessRunner.Result r = ProcessRunner.capture(List.of("cat", odd.toString()), Duration.ofSeconds(10));
        assertEquals(0, r.exit());
        assertEquals("content", r.out());
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void standardErrorAndTheExitCodeComeBack() throws Exception {
        ProcessRunner.Result r = ProcessRunner.capture(List.of("ls", tmp.resolve("missing").toString()),
                Duration.ofSeconds(10));
        assertEquals(2, r.exit());
        assertTrue(r.firstLine().contains("No such file or directory"), r.firstLine());
    }

    @Test
    void aTimeoutStopsTheCommandAndEverythingItStarted() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        long start = System.nanoTime();
        ProcessRunner.Result r = ProcessRunner.capture(List.of("sh", "-c", "sleep 60 & echo $! > " + pidFile
                + "; wait"), Duration.ofSeconds(1));
        assertTrue(r.timedOut(), "exit " + r.exit());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "stopped within the grace period");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(200);
        assertFalse(running(child), "the child is gone too");
    }

    /** Running: present, and not a zombie waiting for a parent that no longer exists to reap it. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void outputIsStreamedLineByLineWhileTheCommandRuns() throws IOException, InterruptedException {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        int code = ProcessRunner.run(List.of("sh", "-c", "echo one >&2; sleep 0.3; echo two >&2"), null,
                java.nio.charset.StandardCharsets.UTF_8, ProcessRunner::discard, line -> lines.add(line));
        assertEquals(0, code);
        assertEquals(List.of("one", "two"), lines);
    }
}
