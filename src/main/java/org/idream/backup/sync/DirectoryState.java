package org.idream.backup.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.idream.backup.model.SyncKind;

/**
 * The record of a source's last run, beside its mirror ({@code Layout.stateFile}): which run it was,
 * when it started, whether it finished, what kind of sync it was, when the last full sync started, a
 * fingerprint of what decides a sync's result (sources, exclude file, rclone's flags), the mirror's
 * totals, the directories known to hold hard-linked files, whether CephFS counts the tree otherwise
 * than rclone lists it (special files, hard links), and why the next sync must be a full one, if the
 * last one's checks found a reason; and what this directory's syncs cost here ({@link CostModel}: the seconds a
 * file of its last large guided copy, the seconds and files of its last full sync; null until measured). A
 * change-guided sync starts from it; without it (or with {@code finished = false}) the next sync is a full one.
 */
public record DirectoryState(String source, String run, String start, boolean finished, SyncKind kind,
        String lastFullStart, String settings, long mirrorFiles, long mirrorBytes, List<String> hardLinkDirs,
        boolean irregular, String fullNext, Double copySecondsPerFile, Double fullSeconds, Long fullFiles) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public DirectoryState {
        hardLinkDirs = hardLinkDirs == null ? List.of() : List.copyOf(hardLinkDirs);
    }

    /** The record in a file; empty when there is none. Throws when it cannot be read. */
    public static Optional<DirectoryState> read(Path file) throws IOException {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), DirectoryState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public String json() throws IOException {
        return JSON.writeValueAsString(this);
    }

    /** When the run of this record started (ISO-8601 in the file). */
    public Instant startInstant() {
        return Instant.parse(start);
    }

    /** When the last full sync of this directory started. */
    public Instant lastFullStartInstant() {
        return Instant.parse(lastFullStart);
    }

    /** The same record, saying that a run of this directory started and has not finished. */
    public DirectoryState unfinished(String run) {
        return new DirectoryState(source, run, start, false, kind, lastFullStart, settings, mirrorFiles,
                mirrorBytes, hardLinkDirs, irregular, fullNext, copySecondsPerFile, fullSeconds, fullFiles);
    }
}
