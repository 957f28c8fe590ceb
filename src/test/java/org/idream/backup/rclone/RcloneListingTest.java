package org.idream.backup.rclone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.idream.backup.model.TreeSummary;
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

    @Test
    void namesAsRcloneListsThemMapBackToTheFileSystemsNames() throws IOException, InterruptedException {
        for (String name : new String[] {"new\nline", "tab\tname", "ünïcödé", "literal \u240A symbol", "del\u007Fx"}) {
            Files.writeString(tmp.resolve(name), "x");
        }
        java.util.List<String> listed = new java.util.ArrayList<>();
        RcloneListing listing = new RcloneListing(new RcloneSetup("rclone", Optional.empty()));
        listing.summarize(tmp, new RcloneLog("test", s -> { }), r -> listed.add(r[1]));
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String l : listed) {
            names.add(RcloneListing.javaPath(l));
            assertEquals(l, RcloneListing.listed(RcloneListing.javaPath(l)), "round trip of " + l);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(
                    java.util.TreeSet::new)), names);
        }
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
