package org.idream.backup.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.idream.backup.outcome.DirectoryStatus;

/**
 * The small records the hosts of a fleet share on its engine, typed: each host's card ({@code node-<id>}:
 * when it joined, what it prefers; it stays after the host leaves, so that the assignment knows every host
 * that ever joined) and each directory's record ({@code dir-...}: its host, since when, its last run and
 * outcome, its last success, its next firing). Written by the hosts, read by them and {@code bin/backup
 * fleet}.
 */
public final class FleetRecords {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String NODE = "node-";
    private static final String DIRECTORY = "dir-";

    /** A host's card. */
    public record NodeCard(String node, String joined, List<String> prefer) {
        public NodeCard {
            prefer = prefer == null ? List.of() : List.copyOf(prefer);
        }
    }

    /** A directory's record; times are ISO-8601 instants. */
    public record DirectoryRecord(String source, String host, String since, String lastRun, DirectoryStatus outcome,
            String lastSuccess, String nextFiring) {

        static DirectoryRecord empty(Path source) {
            return new DirectoryRecord(source.toString(), null, null, null, null, null, null);
        }

        public DirectoryRecord held(String host, String since) {
            return new DirectoryRecord(source, host, since, lastRun, outcome, lastSuccess, nextFiring);
        }

        public DirectoryRecord ran(String host, String run, DirectoryStatus status, String next) {
            return new DirectoryRecord(source, host, since, run, status,
                    status == DirectoryStatus.SUCCESS ? run : lastSuccess, next);
        }
    }

    private final FleetStore store;

    FleetRecords(FleetStore store) {
        this.store = store;
    }

    /** The namespace of a directory's lease and record: readable, and safe as a file name and a ZooKeeper node. */
    static String namespace(Path source) {
        String readable = source.toString().replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String hash = HexFormat.of().formatHex(Assignment.hashBytes(source.toString())).substring(0, 8);
        return DIRECTORY + readable + "-" + hash;
    }

    /** Every host's card, by node id: every host that ever joined. */
    Map<String, NodeCard> cards() {
        Map<String, NodeCard> cards = new LinkedHashMap<>();
        store.records(NODE).values().forEach(v -> parse(v, NodeCard.class).filter(c -> c.node() != null)
                .ifPresent(c -> cards.put(c.node(), c)));
        return cards;
    }

    void card(NodeCard card) {
        store.put(NODE + card.node(), bytes(card));
    }

    /** A directory's record, if there is one (and it can be read). */
    Optional<DirectoryRecord> directory(Path source) {
        return store.get(namespace(source)).flatMap(v -> parse(v, DirectoryRecord.class));
    }

    /** The records of these directories, read at once, by source. */
    Map<Path, DirectoryRecord> directories(List<Path> sources) {
        Map<String, byte[]> raw = store.records(DIRECTORY);
        Map<Path, DirectoryRecord> out = new LinkedHashMap<>();
        for (Path source : sources) {
            Optional.ofNullable(raw.get(namespace(source))).flatMap(v -> parse(v, DirectoryRecord.class))
                    .ifPresent(r -> out.put(source, r));
        }
        return out;
    }

    /** Changes a directory's record. */
    void publish(Path source, UnaryOperator<DirectoryRecord> change) {
        store.put(namespace(source), bytes(change.apply(directory(source).orElse(DirectoryRecord.empty(source)))));
    }

    private static <T> Optional<T> parse(byte[] value, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(value, type));
        } catch (IOException e) {
            return Optional.empty();   // a record being replaced: skipped this time
        }
    }

    private static byte[] bytes(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
