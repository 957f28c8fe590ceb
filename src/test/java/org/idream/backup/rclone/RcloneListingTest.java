package org.idream.backup.rclone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.idream.backup.model.TreeSummary;
import org.idream.backup.names.ListedNames;
import org.idream.backup.names.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcloneListingTest {
    @TempDir
    Path tmp;

    private static TreeSummary parse(String csv) {
        TreeSummary.Builder b = new TreeSummary.Builder();
        RcloneListing.parseCsv(new StringReader(csv), f -> b.add(f.get(1), Long.parseLong(f.get(0))));
        return b.build();
    }

    @Test
    void csvRecordsWithQuotesCommasAndNewlinesInNames() {
        TreeSummary t = parse("5,plain.txt\n7,\"comma,name\"\n3,\"new\nline\"\n4,\"say \"\"hi\"\"\"\n");
        assertEquals(4, t.files());
        assertEquals(19, t.bytes());
    }

    @Test
    void theFingerprintSeesARenameOrASizeSwapThatTotalsMiss() {
        TreeSummary a = parse("5,a\n7,b\n");
        assertTrue(a.sameAs(parse("7,b\n5,a\n")), "order does not matter");
        assertFalse(a.sameAs(parse("7,a\n5,b\n")), "sizes swapped between two files");
        assertFalse(a.sameAs(parse("5,a\n7,c\n")), "a file renamed");
    }

    @Test
    void aRealListingOfAHostileTreeCountsEveryFile() throws IOException, InterruptedException {
        Files.writeString(tmp.resolve("new\nline"), "12345");
        Files.writeString(tmp.resolve("comma,\"quoted\".txt"), "12");
        Files.createDirectories(tmp.resolve("sub dir"));
        Files.writeString(tmp.resolve("sub dir/-x"), "1");
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("sub dir/-x"));
        RcloneListing listing = new RcloneListing(new RcloneSetup("rclone", Optional.empty()));
        TreeSummary t = listing.summarize(tmp, new RcloneLog("test", s -> { }));
        assertEquals(4, t.files(), "three files and a link (as .rclonelink)");
        assertEquals(5 + 2 + 1 + "sub dir/-x".length(), t.bytes());
    }

    /** Any name, made from its bytes: rclone lists it in a form that maps back to exactly those bytes. */
    @Test
    void namesAsRcloneListsThemMapBackToTheFileSystemsBytes() throws IOException, InterruptedException {
        List<byte[]> raw = new ArrayList<>();
        for (String name : new String[] {"new\nline", "tab\tname", "ünïcödé", "literal \u240A symbol", "del\u007Fx",
                "ctl\u0001x", "back\\slash", "-dash", "*.txt", " spaces "}) {
            raw.add(name.getBytes(StandardCharsets.UTF_8));
        }
        raw.add(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'});                 // Latin-1
        raw.add(new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, (byte) 0xe2, (byte) 0x90, '\n'}); // broken UTF-8
        for (byte[] name : raw) {
            Files.writeString(Names.resolve(tmp, name), "x");
        }
        List<String> listed = new ArrayList<>();
        RcloneListing listing = new RcloneListing(new RcloneSetup("rclone", Optional.empty()));
        listing.summarize(tmp, new RcloneLog("test", s -> { }), r -> listed.add(r[1]));
        Set<String> fromRclone = new TreeSet<>();
        for (String l : listed) {
            fromRclone.add(HexFormat.of().formatHex(ListedNames.raw(l)));
            assertEquals(l, ListedNames.of(ListedNames.raw(l)), "round trip of " + ListedNames.escaped(l));
        }
        Set<String> onDisk = new TreeSet<>();
        try (var files = Files.list(tmp)) {
            files.forEach(p -> onDisk.add(HexFormat.of().formatHex(Names.bytes(p))));
        }
        Set<String> made = new TreeSet<>();
        raw.forEach(b -> made.add(HexFormat.of().formatHex(b)));
        assertEquals(made, onDisk, "Java made and read back every name byte for byte");
        assertEquals(onDisk, fromRclone, "rclone's listing maps back to the names on disk");
        assertEquals("caf\\xe9.txt", ListedNames.escaped(ListedNames.of(raw.get(raw.size() - 2))));
        assertEquals("new\\nline", ListedNames.escaped(ListedNames.of(raw.get(0))));
    }

    @Test
    void exitCodesAreClassifiedAsInTheNotes() {
        assertEquals(RcloneExit.SUCCESS, RcloneExit.of(0));
        assertEquals(RcloneExit.SUCCESS, RcloneExit.of(9));
        assertEquals(RcloneExit.RETRY_ONCE, RcloneExit.of(1));
        assertEquals(RcloneExit.RETRYABLE, RcloneExit.of(5));
        assertEquals(RcloneExit.RETRYABLE, RcloneExit.of(6));
        for (int fatal : new int[] {2, 3, 4, 7, 8, 143}) {
            assertEquals(RcloneExit.FATAL, RcloneExit.of(fatal), "exit " + fatal);
        }
        assertEquals(2, RcloneExit.RETRY_ONCE.attemptsAllowed(3));
        assertEquals(1, RcloneExit.RETRY_ONCE.attemptsAllowed(1));
        assertEquals(3, RcloneExit.RETRYABLE.attemptsAllowed(3));
        assertEquals(1, RcloneExit.FATAL.attemptsAllowed(3));
    }
}
