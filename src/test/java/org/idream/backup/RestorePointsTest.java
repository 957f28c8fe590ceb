package org.idream.backup;

import static org.idream.backup.BackupFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every time this program prints for a run, and the run's name, given back to {@code --as-of}, restores
 * exactly that run's state: the run's name and the start and end in {@code runs}, the restore point in
 * {@code versions}, the start and end in the report, the time of the first and the last line of its log
 * (the log's own form, with milliseconds), and a date alone (the end of that day: the day's last run).
 */
class RestorePointsTest {
    private static final Pattern ROW = Pattern.compile("^(\\S+)\\s+(\\S+ \\S+)\\s+(\\S+ \\S+)\\s+success\\s+.*--as-of (\\S+)$");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ");

    @TempDir
    Path tmp;

    /** Waits for the next whole second and a little: a time printed to the second stands for the whole second. */
    private static void nextSecond() throws InterruptedException {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plusMillis(100);
        while (Instant.now().isBefore(next)) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyPrintedTimeOfARunRestoresThatRun() throws Exception {
        BackupFixture b = new BackupFixture(tmp, "data");
        Path s = b.source(0);
        List<BackupFixture.Run> runs = new ArrayList<>();
        for (String content : List.of("hi", "hi2", "hi3")) {
            write(s.resolve("f.txt"), content);
            write(s.resolve("sub/g.txt"), "g " + content);
            nextSecond();
            runs.add(b.run().expect(0));
            nextSecond();
        }
        String runsOut = stdout(() -> b.command("runs"));
        String versionsOut = stdout(() -> b.command("versions", s.resolve("sub").toString()));
        List<Matcher> rows = runsOut.lines().map(ROW::matcher).filter(Matcher::matches).toList();
        assertEquals(3, rows.size(), runsOut);

        for (int i = 0; i < 3; i++) {
            String expected = List.of("hi", "hi2", "hi3").get(i);
            BackupFixture.Run run = runs.get(i);
            Map<String, String> forms = new LinkedHashMap<>();
            forms.put("the run's name in runs", rows.get(i).group(4));
            forms.put("its start in runs", rows.get(i).group(2));
            forms.put("its end in runs", rows.get(i).group(3));
            forms.put("the report's start", run.report().get("start").asText());
            forms.put("the report's end", run.report().get("end").asText());
            List<String> logTimes = Files.readAllLines(run.logFile()).stream().map(LOG_TIME::matcher)
                    .filter(Matcher::find).map(m -> m.group(1)).toList();
            forms.put("its log's first line", logTimes.get(0));
            forms.put("its log's last line", logTimes.get(logTimes.size() - 1));
            String name = rows.get(i).group(1);
            forms.put("versions of a folder", versionsOut.lines().filter(l -> l.contains(name)).findFirst()
                    .map(l -> l.substring(l.lastIndexOf("--as-of ") + 8)).orElseThrow(() -> new AssertionError(versionsOut)));
            assertEquals(name, forms.get("the run's name in runs"));
            for (Map.Entry<String, String> form : forms.entrySet()) {
                Path target = tmp.resolve("restored/" + i + "/" + form.getKey().replace(' ', '-'));
                assertEquals(0, b.command("restore", s.toString(), "--to", target.toString(), "--as-of",
                        form.getValue()), form.getKey() + ": " + form.getValue());
                assertEquals(expected, Files.readString(target.resolve("f.txt")), "run " + (i + 1) + ", "
                        + form.getKey() + " (" + form.getValue() + ")");
                assertEquals("g " + expected, Files.readString(target.resolve("sub/g.txt")));
                Path sub = tmp.resolve("restored/" + i + "/sub-" + form.getKey().replace(' ', '-'));
                assertEquals(0, b.command("restore", s.resolve("sub").toString(), "--to", sub.toString(), "--as-of",
                        form.getValue()));
                assertEquals("g " + expected, Files.readString(sub.resolve("g.txt")), "a subfolder, " + form.getKey());
            }
        }
        String today = OffsetDateTime.parse(runs.get(2).report().get("start").asText()).toLocalDate().toString();
        Path day = tmp.resolve("restored/day");
        assertEquals(0, b.command("restore", s.toString(), "--to", day.toString(), "--as-of", today));
        assertTrue(List.of("hi3").contains(Files.readString(day.resolve("f.txt"))), "the day's last run");
    }

    private interface Body {
        int run() throws Exception;
    }

    private static String stdout(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
