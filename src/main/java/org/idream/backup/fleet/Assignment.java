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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which host should hold which directory, computed the same on every host from what they all see: every
 * host that ever joined the fleet ({@code known}), those that are up now, and each one's
 * {@code backup.cluster.prefer}. This is the wish; the lease (on the engine) is what makes a host the only
 * one that syncs a directory.
 *
 * <p>The directories are first split over every known host, as if all were up: a preferred directory to a
 * host that prefers it, the others evenly (no host above its share, rounded up) by rendezvous hashing. A
 * host that is up keeps its part. The part of a host that is down is split the same way over the other
 * known hosts, and so on down the line. So a host leaving moves only its own directories (spread evenly
 * over the others), never another host's; and coming back, it gets exactly its own back. Only a host that
 * joins for the first time changes the first split (and may move directories between the others once).
 */
public final class Assignment {
    private Assignment() {
    }

    /** Every source's host, or no entry when no host is up. */
    public static Map<Path, String> of(List<Path> sources, Set<String> known, Set<String> up,
            Map<String, List<Path>> prefers) {
        Map<Path, String> chosen = new HashMap<>();
        if (!up.isEmpty()) {
            Set<String> hosts = new TreeSet<>(known);
            hosts.addAll(up);
            assign(sources.stream().sorted().toList(), hosts, up, prefers, chosen);
        }
        Map<Path, String> inOrder = new LinkedHashMap<>();
        sources.forEach(s -> {
            if (chosen.containsKey(s)) {
                inOrder.put(s, chosen.get(s));
            }
        });
        return inOrder;
    }

    /** Every host up: the first split alone. */
    public static Map<Path, String> of(List<Path> sources, Set<String> up, Map<String, List<Path>> prefers) {
        return of(sources, up, up, prefers);
    }

    /** Splits {@code dirs} over {@code hosts}; a part whose host is down is split again over the others. */
    private static void assign(List<Path> dirs, Set<String> hosts, Set<String> up, Map<String, List<Path>> prefers,
            Map<Path, String> chosen) {
        for (Map.Entry<String, List<Path>> part : split(dirs, hosts, prefers).entrySet()) {
            if (up.contains(part.getKey())) {
                part.getValue().forEach(d -> chosen.put(d, part.getKey()));
            } else if (!part.getValue().isEmpty()) {
                Set<String> others = new TreeSet<>(hosts);
                others.remove(part.getKey());
                assign(part.getValue(), others, up, prefers, chosen);
            }
        }
    }

    /** One split, every host taken as up: preferred directories to a host that prefers them, the rest evenly. */
    private static Map<String, List<Path>> split(List<Path> dirs, Set<String> hosts, Map<String, List<Path>> prefers) {
        Map<String, List<Path>> parts = new TreeMap<>();
        hosts.forEach(h -> parts.put(h, new ArrayList<>()));
        List<Path> rest = new ArrayList<>();
        for (Path source : dirs) {
            List<String> preferring = hosts.stream()
                    .filter(h -> prefers.getOrDefault(h, List.of()).contains(source)).toList();
            if (preferring.isEmpty()) {
                rest.add(source);
            } else {
                parts.get(best(source, preferring)).add(source);
            }
        }
        int share = (dirs.size() + hosts.size() - 1) / hosts.size();
        for (Path source : rest) {
            List<String> ranked = new ArrayList<>(hosts);
            ranked.sort(Comparator.comparingLong((String h) -> score(source, h)).reversed());
            String host = ranked.stream().filter(h -> parts.get(h).size() < share).findFirst()
                    .orElse(ranked.stream().min(Comparator.comparingInt(h -> parts.get(h).size())).orElseThrow());
            parts.get(host).add(source);
        }
        return parts;
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
