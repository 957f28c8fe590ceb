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

/** The assignment every host computes alone must agree, spread evenly, honour preferences, and move little. */
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

    @Test
    void aHostLeavingMovesItsOwnDirectoriesAndFewOthers() {
        List<Path> s = sources(300);
        Set<String> all = hosts(6);
        Map<Path, String> before = Assignment.of(s, all, Map.of());
        Set<String> five = new LinkedHashSet<>(all);
        five.remove("host-4");
        Map<Path, String> after = Assignment.of(s, five, Map.of());
        long moved = s.stream().filter(x -> !before.get(x).equals("host-4") && !before.get(x).equals(after.get(x)))
                .count();
        assertTrue(moved <= s.size() / 10, moved + " directories of live hosts moved");
        // and the host coming back gets its own back
        assertEquals(before, Assignment.of(s, all, Map.of()));
    }

    @Test
    void noHostUpNoAssignment() {
        assertEquals(Map.of(), Assignment.of(sources(3), Set.of(), Map.of()));
    }
}
