package org.idream.backup.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.idream.backup.rclone.RcloneSetup;
import org.idream.backup.restore.Manifest;

/**
 * One backup run: when it started, where its log and report are, which folder of the deleted area
 * it writes, the directories it syncs, and how it ended. Travels through the run route as the
 * exchange property {@value #PROPERTY}.
 */
public final class BackupRun {
    public static final String PROPERTY = "backupRun";
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH-mm-ss");

    private final ZonedDateTime started;
    private final boolean dryRun;
    private volatile ZonedDateTime ended;
    private volatile Path logFile;
    private volatile Path reportFile;
    private volatile Path deletedFolder;
    private volatile RcloneSetup rclone;
    private final List<DirectoryRun> directories = new ArrayList<>();
    private volatile RunOutcome outcome;
    private volatile String reason;
    private volatile AutoCloseable log;
    private volatile AutoCloseable lock;
    private int finished;

    public BackupRun(ZonedDateTime started, boolean dryRun) {
        this.started = started;
        this.dryRun = dryRun;
    }

    /**
     * This run's folder of the deleted area, {@code <deleted-root>/YYYY-MM-DD/HH-MM-SS}, with a suffix
     * when a run in the same second already used it, so that no two runs ever share one.
     */
    static Path deletedFolder(Path deletedRoot, ZonedDateTime at) {
        Path day = deletedRoot.resolve(DAY.format(at));
        String second = SECOND.format(at);
        Path folder = day.resolve(second);
        for (int n = 2; Files.exists(folder) || Files.exists(Manifest.folder(folder)); n++) {
            folder = day.resolve(second + "_" + n);
        }
        return folder;
    }

    /** Plans one directory: its mirror is main-root + the source's absolute path, and so is its deleted area. */
    void plan(Path source, Path mainRoot) {
        Path relative = source.getRoot().relativize(source);
        directories.add(new DirectoryRun(source, mainRoot.resolve(relative), deletedFolder.resolve(relative)));
    }

    synchronized int finished() {
        return ++finished;
    }

    /** Records that the run stopped early; the first reason given wins. */
    void stop(RunOutcome o, String why) {
        if (outcome == null) {
            outcome = o;
            reason = why;
        }
    }

    /** Ends the run: unless it stopped early, a success only if every directory succeeded. */
    void end() {
        ended = ZonedDateTime.now(org.idream.backup.Clocks.clock());
        if (outcome == null) {
            long failed = directories.stream().filter(d -> d.status() != DirectoryRun.Status.SUCCESS).count();
            outcome = failed == 0 ? RunOutcome.SUCCESS : RunOutcome.FAILED;
            reason = failed == 0 ? null : failed + " of " + directories.size() + " directories failed";
        }
    }

    AutoCloseable log() {
        return log;
    }

    AutoCloseable lock() {
        return lock;
    }

    void lock(AutoCloseable held) {
        lock = held;
    }

    /** True once the empty-mount guard refused a directory: something looks wrong with the sources. */
    public boolean anyRefused() {
        return directories.stream().anyMatch(d -> d.status() == DirectoryRun.Status.REFUSED);
    }

    public ZonedDateTime started() {
        return started;
    }

    public ZonedDateTime ended() {
        return ended;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public Path logFile() {
        return logFile;
    }

    void logFile(Path file, Path report, AutoCloseable handle) {
        logFile = file;
        reportFile = report;
        log = handle;
    }

    public Path reportFile() {
        return reportFile;
    }

    public Path deletedFolder() {
        return deletedFolder;
    }

    /** This run's name in the deleted area: {@code YYYY-MM-DD/HH-MM-SS}. */
    public String name() {
        return deletedFolder.getParent().getFileName() + "/" + deletedFolder.getFileName();
    }

    void deletedFolder(Path folder) {
        deletedFolder = folder;
    }

    public RcloneSetup rclone() {
        return rclone;
    }

    void rclone(RcloneSetup setup) {
        rclone = setup;
    }

    public List<DirectoryRun> getDirectories() {
        return directories;
    }

    public RunOutcome outcome() {
        return outcome;
    }

    public String reason() {
        return reason;
    }
}
