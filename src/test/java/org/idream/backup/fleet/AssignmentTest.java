package org.idream.backup.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The assignment every host computes alone must agree, spread evenly, honour preferences, and move only what must. */
class AssignmentTest {

    static List<Path> sources(int n) {
        return IntStream.range(0, n).mapToObj(i -> Path.of("/ceph/exp/run-" + i)).toList();
    }

    static Set<String> hosts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "host-" + i).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Test
    void everyHostComputesTheSameWhateverTheOrderItSeesThingsIn() {
        List<Path> s = sources(40);
        Set<String> h = hosts(5);
        Map<Path, String> a = Assignment.of(s, h, Map.of("host-3", List.of(s.get(7))));
        List<Path> shuffled = new ArrayList<>(s);
        Collections.shuffle(shuffled, new Random(1));
        List<String> hs = new ArrayList<>(h);
        Collections.reverse(hs);
        Map<Path, String> b = Assignment.of(shuffled, new LinkedHashSet<>(hs), Map.of("host-3", List.of(s.get(7))));
        assertEquals(a, Map.copyOf(b));
    }

    @Test
    void anEvenSplitNoHostAboveItsShare() {
        for (int n : new int[] {1, 6, 10, 100, 1000}) {
            for (int m : new int[] {1, 2, 3, 7}) {
                Map<Path, String> a = Assignment.of(sources(n), hosts(m), Map.of());
                assertEquals(n, a.size());
                Map<String, Long> load = a.values().stream().collect(Collectors.groupingBy(x -> x, Collectors.counting()));
                long share = (n + m - 1) / m;
                assertTrue(load.values().stream().allMatch(l -> l <= share), n + " over " + m + ": " + load);
                assertTrue(load.values().stream().mapToLong(Long::longValue).min().orElse(0) >= n / m - (m - 1),
                        n + " over " + m + ": " + load);
            }
        }
    }

    @Test
    void aPreferredDirectoryGoesToTheHostThatPrefersItWhileItIsUp() {
        List<Path> s = sources(6);
        Map<String, List<Path>> prefers = Map.of("host-1", List.of(s.get(0), s.get(1)));
        Map<Path, String> a = Assignment.of(s, hosts(3), prefers);
        assertEquals("host-1", a.get(s.get(0)));
        assertEquals("host-1", a.get(s.get(1)));
        assertEquals(Map.of("host-0", 2L, "host-1", 2L, "host-2", 2L), a.values().stream()
                .collect(Collectors.groupingBy(x -> x, Collectors.counting())));
        Set<String> without = new HashSet<>(hosts(3));
        without.remove("host-1");
        Map<Path, String> b = Assignment.of(s, without, prefers);
        assertTrue(b.values().stream().noneMatch("host-1"::equals), b.toString());
    }

    /**
     * For 1 to 1 000 directories over 1 to 7 hosts that all joined once: every host leaving in turn (and
     * then a second one) moves none of the directories of the hosts that stay, spreads its own evenly over
     * them, and coming back gets exactly its own back.
     */
    @Test
    void aHostLeavingMovesOnlyItsOwnDirectoriesAndGetsExactlyThoseBack() {
        for (int n : new int[] {1, 2, 5, 6, 17, 100, 333, 1000}) {
            for (int m = 1; m <= 7; m++) {
                List<Path> s = sources(n);
                Set<String> known = hosts(m);
                Map<Path, String> all = Assignment.of(s, known, known, Map.of());
                for (String gone : known) {
                    Set<String> up = new LinkedHashSet<>(known);
                    up.remove(gone);
                    Map<Path, String> after = Assignment.of(s, known, up, Map.of());
                    String what = n + " directories over " + m + " hosts, " + gone + " gone";
                    if (up.isEmpty()) {
                        assertEquals(Map.of(), after, what);
                        continue;
                    }
                    for (Path x : s) {
                        if (!all.get(x).equals(gone)) {
                            assertEquals(all.get(x), after.get(x), what + ": " + x + " moved");
                        } else {
                            assertTrue(up.contains(after.get(x)), what + ": " + x + " went to " + after.get(x));
                        }
                    }
                    long share = (n + up.size() - 1) / up.size();
                    Map<String, Long> load = after.values().stream()
                            .collect(Collectors.groupingBy(h -> h, Collectors.counting()));
                    assertTrue(load.values().stream().allMatch(l -> l <= share + 1), what + ": " + load);
                    for (String second : up) {
                        Set<String> fewer = new LinkedHashSet<>(up);
                        fewer.remove(second);
                        Map<Path, String> then = Assignment.of(s, known, fewer, Map.of());
                        for (Path x : s) {
                            if (!fewer.isEmpty() && !after.get(x).equals(second)) {
                                assertEquals(after.get(x), then.get(x), what + ", then " + second + ": " + x + " moved");
                            }
                        }
                    }
                    assertEquals(all, Assignment.of(s, known, known, Map.of()), what + ", and back");
                }
            }
        }
    }

    @Test
    void preferencesKeepTheirHostsWhenAnotherLeaves() {
        List<Path> s = sources(60);
        Set<String> known = hosts(4);
        Map<String, List<Path>> prefers = Map.of("host-1", List.of(s.get(0), s.get(1)), "host-2", List.of(s.get(2)));
        Map<Path, String> all = Assignment.of(s, known, known, prefers);
        Set<String> up = new LinkedHashSet<>(known);
        up.remove("host-3");
        Map<Path, String> after = Assignment.of(s, known, up, prefers);
        for (Path x : s) {
            if (!all.get(x).equals("host-3")) {
                assertEquals(all.get(x), after.get(x), x + " moved");
            }
        }
        assertEquals("host-1", after.get(s.get(0)));
        assertEquals("host-2", after.get(s.get(2)));
        up.remove("host-1");
        assertTrue(Assignment.of(s, known, up, prefers).values().stream().noneMatch("host-1"::equals));
    }

    @Test
    void noHostUpNoAssignment() {
        assertEquals(Map.of(), Assignment.of(sources(3), Set.of(), Map.of()));
    }
}
