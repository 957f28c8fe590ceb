package org.idream.backup.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which host should hold which directory, computed the same on every host from what they all see: the
 * hosts that are up and each one's {@code backup.cluster.prefer}. A preferred directory goes to a host
 * that prefers it; the others are spread evenly (no host more than its share, rounded up) by
 * rendezvous hashing, so a directory stays with its host as long as that host is up, and only the
 * directories of a host that left move. This is the wish; the lease (the engine's leader election) is what
 * makes a host the only one that syncs a directory.
 */
public final class Assignment {
    private Assignment() {
    }

    /** Every source's host, or no entry when no host is up. */
    public static Map<Path, String> of(List<Path> sources, Set<String> up, Map<String, List<Path>> prefers) {
        Map<Path, String> out = new LinkedHashMap<>();
        if (up.isEmpty()) {
            return out;
        }
        List<String> hosts = new ArrayList<>(new TreeSet<>(up));
        Map<String, Integer> load = new HashMap<>();
        hosts.forEach(h -> load.put(h, 0));
        List<Path> rest = new ArrayList<>();
        for (Path source : sources.stream().sorted().toList()) {
            List<String> preferring = hosts.stream()
                    .filter(h -> prefers.getOrDefault(h, List.of()).contains(source)).toList();
            if (preferring.isEmpty()) {
                rest.add(source);
            } else {
                String h = best(source, preferring);
                out.put(source, h);
                load.merge(h, 1, Integer::sum);
            }
        }
        int share = (sources.size() + hosts.size() - 1) / hosts.size();
        for (Path source : rest) {
            List<String> ranked = new ArrayList<>(hosts);
            ranked.sort(Comparator.comparingLong((String h) -> score(source, h)).reversed());
            String chosen = ranked.stream().filter(h -> load.get(h) < share).findFirst()
                    .orElse(ranked.stream().min(Comparator.comparingInt(load::get)).orElseThrow());
            out.put(source, chosen);
            load.merge(chosen, 1, Integer::sum);
        }
        Map<Path, String> inOrder = new LinkedHashMap<>();
        sources.forEach(s -> inOrder.put(s, out.get(s)));
        return inOrder;
    }

    private static String best(Path source, List<String> hosts) {
        return hosts.stream().max(Comparator.comparingLong(h -> score(source, h))).orElseThrow();
    }

    /** The rendezvous score of a host for a source: the first 8 bytes of SHA-256(source NUL host). */
    static long score(Path source, String host) {
        byte[] d = hashBytes(source + "\0" + host);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    static byte[] hashBytes(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
