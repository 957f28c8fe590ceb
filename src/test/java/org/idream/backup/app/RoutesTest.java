package org.idream.backup.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.idream.backup.model.DirectoryRun;
import org.idream.backup.model.TreeSummary;
import org.idream.backup.outcome.DirectoryStatus;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.rclone.RcloneStats;
import org.idream.backup.rclone.RcloneSync;
import org.idream.backup.safety.Interruption;
import org.idream.backup.sync.DirectoryJob;
import org.idream.backup.sync.Listings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The routes' own logic, with Camel's test kit: the real {@code routes/*.yaml} and the real beans of
 * {@link BackupConfiguration}, where only the external commands are replaced (AdviceWith): the
 * precondition commands, rclone sync, the listings, rm. What rclone and the commands really do is
 * the business of the tests that run them on real trees; here: retries, parallelism, aggregation,
 * retention after a refusal or a signal, one run at a time, mount retries.
 */
class RoutesTest extends CamelMainTestSupport {
    static final int SOURCES = 5;
    static final int PARALLELISM = 2;
    static final int SYNC_ATTEMPTS = 3;
    static final int MOUNT_ATTEMPTS = 3;

    @TempDir
    Path tmp;

    /** No initializer: it is made while the superclass constructs, and filled before Camel starts. */
    private Properties overrides;
    private final Interruption interruption = new Interruption();
    private final List<Path> sources = new ArrayList<>();
    private Path mountPoint;

    /** What the replaced rclone sync does: an exit code per call, by source; the calls it saw. */
    private final Map<String, List<Integer>> syncExits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> syncCalls = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile long syncMillis;
    private volatile Runnable duringSync = () -> { };

    /** What the replaced precondition commands answer: exit code by command name; calls by name. */
    private final Map<String, ToIntFunction<Integer>> commandExits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> commandCalls = new ConcurrentHashMap<>();
    /** Sources whose listing disagrees with the mirror's. */
    private final List<String> badValidation = Collections.synchronizedList(new ArrayList<>());
    /** Sources the guard finds empty. */
    private final List<String> emptySources = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (overrides == null) {
            overrides = new Properties();
        }
        return overrides;
    }

    @Override
    protected void configure(MainConfigurationProperties main) {
        try {
            mountPoint = tmp.resolve("ceph");
            for (int i = 0; i < SOURCES; i++) {
                sources.add(Files.createDirectories(mountPoint.resolve("s" + i)));
            }
            Properties keys = new Properties();
            keys.setProperty("backup.sources", String.join(",", sources.stream().map(Path::toString).toList()));
            keys.setProperty("backup.main-root", tmp.resolve("backup/main").toString());
            keys.setProperty("backup.deleted-root", tmp.resolve("backup/deleted").toString());
            keys.setProperty("backup.log-dir", tmp.resolve("logs").toString());
            keys.setProperty("backup.lock-file", tmp.resolve("backup.lock").toString());
            keys.setProperty("backup.exclude-file", "");
            keys.setProperty("backup.parallelism", Integer.toString(PARALLELISM));
            keys.setProperty("backup.sync-attempts", Integer.toString(SYNC_ATTEMPTS));
            keys.setProperty("backup.sync-retry-delay", "0s");
            keys.setProperty("ceph.mount-point", mountPoint.toString());
            keys.setProperty("ceph.fstab", tmp.resolve("fstab").toString());
            keys.setProperty("ceph.mount-attempts", Integer.toString(MOUNT_ATTEMPTS));
            keys.setProperty("ceph.mount-retry-delay", "0s");
            keys.setProperty("ceph.status-command", "");
            Settings settings = Settings.load(Path.of("config/application.properties"), null, Map.of(), keys);
            useOverridePropertiesWithPropertiesComponent().putAll(settings.camelProperties());
            Path home = Path.of("").toAbsolutePath();
            BackupCamel.configure(main, home, new BackupConfiguration(home, settings, BackupConfiguration.Mode.ONCE,
                    false, false, interruption), BackupConfiguration.Mode.ONCE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the external commands, then starts Camel. */
    private void start() throws Exception {
        AdviceWith.adviceWith(context, "check", a -> a.weaveById("check-command").replace().process(this::command));
        AdviceWith.adviceWith(context, "rclone-sync", a -> a.weaveById("rclone-sync-command").replace()
                .process(this::sync));
        AdviceWith.adviceWith(context, "backup-directory", a -> a.weaveById("listings").replace()
                .process(this::listings));
        AdviceWith.adviceWith(context, "backup-run", a -> {
            a.weaveById("rclone-setup").replace().setProperty(RcloneSetup.PROPERTY)
                    .constant(new RcloneSetup("rclone", Optional.empty()));
            a.weaveById("startup-facts").remove();
            a.weaveByToUri("direct:retention").replace().to("mock:retention");
        });
        context.start();
    }

    private BackupRun run() {
        return template.requestBody("direct:backup-run", null, BackupRun.class);
    }

    private String name(Path source) {
        return source.toString();
    }

    /** The precondition commands: `env -- COMMAND ARGS`; named by COMMAND and its first argument. */
    private void command(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> argv = exchange.getIn().getHeader(ExecBinding.EXEC_COMMAND_ARGS, List.class);
        String name = argv.get(1) + (argv.get(1).equals("findmnt") ? " " + argv.get(2) : "");
        int call = commandCalls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        String out = "";
        if (argv.get(1).equals("findmnt")) {
            out = mountPoint + "\n"; // the source, and main-root's check, are on the mount
        } else if (argv.get(1).equals("find")) { // source-exists: the source; the guard: an entry of it
            String source = argv.get(2);
            boolean guard = argv.contains("-mindepth");
            out = guard && emptySources.contains(source) ? "" : source + (guard ? "/something\n" : "\n");
        }
        int exit = commandExits.getOrDefault(name, n -> 0).applyAsInt(call);
        exchange.getIn().setBody(new ExecResult(new ExecCommand(argv.get(1), argv, null, 0L, null, null, null, false,
                null), new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)), new ByteArrayInputStream(
                        new byte[0]), exit));
    }

    /** rclone sync: the scripted exit code of this call; how many run at once. */
    private void sync(Exchange exchange) throws InterruptedException {
        DirectoryRun d = exchange.getProperty(DirectoryJob.PROPERTY, DirectoryJob.class).directory();
        int call = syncCalls.computeIfAbsent(d.tag(), k -> new AtomicInteger()).incrementAndGet();
        int now = running.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            duringSync.run();
            Thread.sleep(syncMillis);
        } finally {
            running.decrementAndGet();
        }
        List<Integer> exits = syncExits.getOrDefault(d.tag(), List.of());
        int exit = call <= exits.size() ? exits.get(call - 1) : 0;
        exchange.getIn().setBody(new RcloneSync.Result(exit, RcloneStats.NONE, List.of("scripted exit " + exit)));
    }

    private void listings(Exchange exchange) {
        DirectoryJob job = exchange.getProperty(DirectoryJob.PROPERTY, DirectoryJob.class);
        DirectoryRun d = job.directory();
        TreeSummary.Builder source = new TreeSummary.Builder();
        source.add("a", 1);
        TreeSummary.Builder mirror = new TreeSummary.Builder();
        mirror.add("a", badValidation.contains(d.tag()) ? 0 : 1);
        job.listed(new Listings(source.build(), mirror.build(), null, null, source.build(), mirror.build(), List.of(),
                null));
    }

    private int syncs(Path source) {
        AtomicInteger n = syncCalls.get(name(source));
        return n == null ? 0 : n.get();
    }

    private static DirectoryRun directory(BackupRun run, Path source) {
        return run.directories().stream().filter(d -> d.source().equals(source)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "rclone exit {0}: {1} attempt(s)")
    @CsvSource({"5, " + SYNC_ATTEMPTS, "6, " + SYNC_ATTEMPTS, "1, 2", "3, 1", "4, 1", "7, 1", "8, 1"})
    void aFailingSyncIsTriedAgainOnlyForRetryableExitCodes(int exit, int attempts) throws Exception {
        syncExits.put(name(sources.get(0)), Collections.nCopies(10, exit));
        start();
        BackupRun run = run();
        assertEquals(attempts, syncs(sources.get(0)), "rclone sync calls for exit " + exit);
        DirectoryRun d = directory(run, sources.get(0));
        assertEquals(DirectoryStatus.FAILED, d.status());
        assertEquals(attempts, d.attempts());
        assertTrue(d.error().startsWith("rclone exit " + exit), d.error());
        for (Path other : sources.subList(1, SOURCES)) {
            assertEquals(1, syncs(other), "the others synced once");
            assertEquals(DirectoryStatus.SUCCESS, directory(run, other).status());
        }
        assertEquals(RunOutcome.FAILED, run.outcome());
    }

    @Test
    void aSyncThatSucceedsOnItsSecondAttemptSucceeds() throws Exception {
        syncExits.put(name(sources.get(0)), List.of(5, 0));
        start();
        BackupRun run = run();
        assertEquals(2, syncs(sources.get(0)));
        assertEquals(DirectoryStatus.SUCCESS, directory(run, sources.get(0)).status());
        assertEquals(RunOutcome.SUCCESS, run.outcome());
    }

    @Test
    void aFailedValidationIsNeverRetried() throws Exception {
        badValidation.add(name(sources.get(1)));
        start();
        BackupRun run = run();
        assertEquals(1, syncs(sources.get(1)));
        DirectoryRun d = directory(run, sources.get(1));
        assertEquals(DirectoryStatus.FAILED, d.status());
        assertTrue(d.error().startsWith("validation failed"), d.error());
    }

    @Test
    void exactlyParallelismDirectoriesSyncAtOnce() throws Exception {
        syncMillis = 300;
        start();
        BackupRun run = run();
        assertEquals(PARALLELISM, peak.get(), "directories synced at once");
        assertEquals(RunOutcome.SUCCESS, run.outcome());
        assertEquals(SOURCES, sources.stream().mapToInt(this::syncs).sum());
    }

    @Test
    void theDirectoriesAggregateToOneOutcomeAndRetentionRunsAfterASuccess() throws Exception {
        start();
        MockEndpoint retention = getMockEndpoint("mock:retention");
        retention.expectedMessageCount(1);
        BackupRun ok = run();
        assertEquals(RunOutcome.SUCCESS, ok.outcome());
        assertNull(ok.reason());
        retention.assertIsSatisfied();

        syncCalls.clear();
        syncExits.put(name(sources.get(3)), List.of(7));
        BackupRun failed = run();
        assertEquals(RunOutcome.FAILED, failed.outcome());
        assertEquals(1, failed.outcome().exitCode());
        assertEquals("1 of " + SOURCES + " directories failed", failed.reason());
        assertEquals(SOURCES - 1, failed.directories().stream().filter(d -> d.status() == DirectoryStatus.SUCCESS)
                .count());
    }

    @Test
    void retentionIsSkippedAfterARefusal() throws Exception {
        Path mirror = tmp.resolve("backup/main").resolve(mountPoint.getRoot().relativize(sources.get(2)));
        Files.createDirectories(mirror);
        Files.writeString(mirror.resolve("precious.dat"), "kept");
        emptySources.add(name(sources.get(2)));
        start();
        MockEndpoint retention = getMockEndpoint("mock:retention");
        retention.expectedMessageCount(0);
        BackupRun run = run();
        assertEquals(DirectoryStatus.REFUSED, directory(run, sources.get(2)).status());
        assertEquals(0, syncs(sources.get(2)), "a refused directory is not synced");
        assertEquals(RunOutcome.FAILED, run.outcome());
        retention.assertIsSatisfied();
    }

    @Test
    void retentionIsSkippedAfterASignal() throws Exception {
        AtomicBoolean once = new AtomicBoolean();
        duringSync = () -> {
            if (once.compareAndSet(false, true)) {
                interruption.signal("TERM"); // a second one would exit the JVM at once, as it does the daemon
            }
        };
        start();
        MockEndpoint retention = getMockEndpoint("mock:retention");
        retention.expectedMessageCount(0);
        BackupRun run = run();
        assertEquals(RunOutcome.INTERRUPTED_TERM, run.outcome());
        assertEquals(143, run.outcome().exitCode());
        retention.assertIsSatisfied();
    }

    @Test
    void aSecondRunWhileOneIsGoingIsRefused() throws Exception {
        CountDownLatch inSync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        duringSync = () -> {
            inSync.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        start();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("backup-run").whenDone(1).create();
        Future<Object> first = template.asyncRequestBody("direct:backup-run", null);
        assertTrue(inSync.await(30, TimeUnit.SECONDS), "the first run is syncing");
        CamelExecutionException refused = assertThrows(CamelExecutionException.class, this::run);
        assertInstanceOf(ThrottlerRejectedExecutionException.class, refused.getCause());
        release.countDown();
        assertTrue(done.matches(60, TimeUnit.SECONDS), "the first run ended");
        assertEquals(RunOutcome.SUCCESS, ((BackupRun) first.get()).outcome());
    }

    @Test
    void anUnmountedCephIsMountedWithRetries() throws Exception {
        commandExits.put("mountpoint", call -> call <= MOUNT_ATTEMPTS - 1 ? 1 : 0); // mounted on the last attempt
        start();
        BackupRun run = run();
        assertEquals(RunOutcome.SUCCESS, run.outcome());
        assertEquals(MOUNT_ATTEMPTS - 1, commandCalls.get("mount").get(), "mount attempts");
    }

    @Test
    void aCephThatCannotBeMountedStopsTheRunAfterEveryAttempt() throws Exception {
        commandExits.put("mountpoint", call -> 1);
        start();
        BackupRun run = run();
        assertEquals(RunOutcome.PRECONDITION_FAILED, run.outcome());
        assertEquals(MOUNT_ATTEMPTS, commandCalls.get("mount").get(), "mount attempts");
        assertEquals(0, sources.stream().mapToInt(this::syncs).sum(), "nothing synced");
        assertTrue(run.reason().contains("still not mounted after attempt " + MOUNT_ATTEMPTS), run.reason());
    }
}
