package org.idream.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as an installed Debian daemon is used: it finds its configuration without --config, names itself as
 * it was invoked, takes -D in the two forms its help shows and refuses the others.
 */
class InvocationTest {
    @TempDir
    Path tmp;
    /** An installation as the package lays it out: /etc/ceph-backup with config/ and the operator's backup.properties. */
    Path etc;

    record Out(int code, String out, String err) {
    }

    @BeforeEach
    void anInstallation() throws IOException {
        etc = tmp.resolve("etc/ceph-backup");
        Files.createDirectories(etc.resolve("config"));
        Files.copy(Path.of("config/application.properties"), etc.resolve("config/application.properties"));
    }

    private Out run(Map<String, String> env, String... args) {
        Properties system = new Properties();
        system.setProperty("backup.home", etc.toString());
        system.setProperty("backup.command", "ceph-backup");
        return run(system, env, args);
    }

    private static Out run(Properties system, Map<String, String> env, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = BackupMain.run(args, env, system);
            return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String value(Out r, String key) {
        return r.out().lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(() -> new AssertionError(
                key + " not printed: " + r.out() + r.err()));
    }

    @Test
    void withoutConfigTheInstalledFileIsReadThenTheVariableThenDashDashConfigWin() throws IOException {
        Out shipped = run(Map.of(), "config");
        assertEquals(0, shipped.code(), shipped.err());
        assertTrue(shipped.out().startsWith("# configuration: the shipped defaults alone"), shipped.out());
        assertTrue(value(shipped, "backup.parallelism").contains("config/application.properties)"), shipped.out());

        Path installed = etc.resolve("backup.properties");
        Files.writeString(installed, "backup.parallelism = 3\n");
        Out r = run(Map.of(), "config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# configuration: " + installed + " (the installed configuration)"), r.out());
        assertTrue(value(r, "backup.parallelism").matches("backup\\.parallelism\\s+= 3\\s+\\(" + installed + "\\)"),
                r.out());

        Path named = tmp.resolve("named.properties");
        Files.writeString(named, "backup.parallelism = 5\n");
        r = run(Map.of("CEPH_BACKUP_CONFIG", named.toString()), "config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# configuration: " + named + " ($CEPH_BACKUP_CONFIG)"), r.out());
        assertTrue(value(r, "backup.parallelism").contains("= 5 "), r.out());

        Path typed = tmp.resolve("typed.properties");
        Files.writeString(typed, "backup.parallelism = 7\n");
        r = run(Map.of("CEPH_BACKUP_CONFIG", named.toString()), "config", "--config", typed.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(value(r, "backup.parallelism").contains("= 7 "), r.out());

        Files.delete(named);
        r = run(Map.of("CEPH_BACKUP_CONFIG", named.toString()), "check");
        assertEquals(2, r.code());
        assertEquals("ceph-backup: configuration error: $CEPH_BACKUP_CONFIG: cannot read " + named + ": no such file",
                r.err().strip());
    }

    @Test
    void helpAndUsageNameTheCommandAsInvokedAndShowDemoOnlyWhereThereIsOne() {
        Out help = run(Map.of(), "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("usage: ceph-backup "), help.out());
        assertTrue(help.out().contains("[-Dkey=value]..."), help.out());
        assertFalse(help.out().contains("bin/backup") || help.out().contains("demo") || help.out().contains("-D="),
                help.out());
        Out restore = run(Map.of(), "restore", "--help");
        assertTrue(restore.out().contains("usage: ceph-backup restore "), restore.out());
        Out typo = run(Map.of(), "--onse");
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("ceph-backup: unknown argument '--onse'"), typo.err());

        Properties checkout = new Properties();        // the checkout (this folder) through bin/backup
        checkout.setProperty("backup.home", Path.of("").toAbsolutePath().toString());
        checkout.setProperty("backup.command", "bin/backup");
        Out fromCheckout = run(checkout, Map.of(), "--help");
        assertTrue(fromCheckout.out().contains("usage: bin/backup ")
                && fromCheckout.out().contains("Run `bin/backup demo` for a demo"), fromCheckout.out());
    }

    @Test
    void dashDTakesKeyEqualsValueAttachedOrNotAndRefusesAnythingElse() {
        Out spaced = run(Map.of(), "config", "-D", "backup.parallelism=2");
        assertEquals(0, spaced.code(), spaced.err());
        assertTrue(value(spaced, "backup.parallelism").contains("= 2 "), spaced.out());
        Out attached = run(Map.of(), "config", "-Dbackup.parallelism=6");   // as picocli sees it when no launcher took it
        assertEquals(0, attached.code(), attached.err());
        assertTrue(value(attached, "backup.parallelism").contains("= 6 "), attached.out());

        for (String[] bad : new String[][] {{"-D=backup.parallelism=2"}, {"-Dbackup.parallelism"},
                {"-D", "=2"}}) {
            Out r = run(Map.of(), prepend("config", bad));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("-Dkey=value or -D key=value"), r.err());
            assertFalse(r.out().contains("backup.parallelism "), "nothing printed: " + r.out());
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void aCamelKeyNearlyKnownIsNamedByTheNearestOneCamelsOwnKeysPass() throws IOException {
        Files.writeString(etc.resolve("backup.properties"), "camel.managment.port = 9999\n"
                + "camel.main.shutdown-timeout = 30\ncamel.main.shutdownTimeout = 30\n");
        try (LogCapture log = new LogCapture()) {
            Out r = run(Map.of(), "config");
            assertEquals(0, r.code(), r.err());
            assertTrue(log.text().contains("camel.managment.port is not a key this product ships (did you mean "
                    + "camel.management.port?)"), log.text());
            assertFalse(log.text().contains("shutdown"), "Camel's own keys, in either spelling: " + log.text());
        }
    }
}
