package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SecAgg+ neighbour graph: every property is checked on the whole graph, so each assertion can fail. */
class NeighbourGraphTest {

    @ParameterizedTest(name = "n={0} k={1}")
    @CsvSource({"500, 142", "101, 20", "60, 7", "60, 59", "61, 60", "10, 2", "3, 2"})
    void graph_isKRegularSymmetricAndConnected(int n, int k) {
        NeighbourGraph g = NeighbourGraph.of(n, k, 0x5eedL, 42);
        for (int id = 1; id <= n; id++) {
            final int u = id;
            int[] nb = g.neighbours(u);
            assertEquals(k, nb.length, "degree of " + u);
            assertEquals(k, Arrays.stream(nb).distinct().count(), "distinct neighbours of " + u);
            assertFalse(Arrays.stream(nb).anyMatch(v -> v == u), "self-loop at " + u);
            for (int v : nb) {
                assertTrue(g.adjacent(v, u), "asymmetric edge " + u + " – " + v);
                assertTrue(Arrays.stream(g.neighbours(v)).anyMatch(w -> w == u), "neighbours(" + v + ") lacks " + u);
            }
            int deg = (int) IntStream.rangeClosed(1, n).filter(v -> g.adjacent(u, v)).count();
            assertEquals(k, deg, "adjacent() degree of " + u);
        }
        assertEquals(n, reachableFrom(g, 1).cardinality());
    }

    @Test
    void graph_staysConnectedAfterRemovingFewerThanHalfANeighbourhoodInARow() {
        // k/2 − 1 consecutive ring positions removed cannot disconnect H(n, k): the ring skips over them.
        NeighbourGraph g = NeighbourGraph.of(200, 20, 9, 3);
        int[] ring = g.ringOrder();
        BitSet removed = new BitSet();
        for (int p = 50; p < 59; p++) {
            removed.set(ring[p]);
        }
        BitSet seen = reachableAvoiding(g, ring[0], removed);
        assertEquals(200 - 9, seen.cardinality());
    }

    @Test
    void graph_isDeterministicInSeedAndRoundAndDiffersOtherwise() {
        NeighbourGraph a = NeighbourGraph.of(300, 40, 1234, 7);
        NeighbourGraph b = NeighbourGraph.of(300, 40, 1234, 7);
        assertArrayEquals(a.ringOrder(), b.ringOrder());
        for (int u = 1; u <= 300; u++) {
            assertArrayEquals(a.neighbours(u), b.neighbours(u));
        }
        // Two different seeds (or rounds) give the same of 300! orders with negligible probability.
        assertFalse(Arrays.equals(a.ringOrder(), NeighbourGraph.of(300, 40, 1235, 7).ringOrder()));
        assertFalse(Arrays.equals(a.ringOrder(), NeighbourGraph.of(300, 40, 1234, 8).ringOrder()));
        // A permutation, not the identity.
        int[] sorted = a.ringOrder().clone();
        Arrays.sort(sorted);
        assertArrayEquals(IntStream.rangeClosed(1, 300).toArray(), sorted);
        assertNotEquals(Arrays.toString(sorted), Arrays.toString(a.ringOrder()));
    }

    @Test
    void graph_isSameFromConfigAsFromParts() {
        SecAggConfig c = new SecAggConfig(50, 12, 10, 99, 20, -5L);
        assertArrayEquals(NeighbourGraph.of(50, 20, -5L, 99).ringOrder(), NeighbourGraph.of(c).ringOrder());
    }

    @Test
    void completeGraph_kIsNMinusOne_everyPairAdjacentWhateverTheSeed() {
        for (long seed : new long[] {0, 1, Long.MIN_VALUE}) {
            NeighbourGraph g = NeighbourGraph.of(17, 16, seed, 5);
            assertTrue(g.isComplete());
            for (int id = 1; id <= 17; id++) {
                final int u = id;
                assertArrayEquals(IntStream.rangeClosed(1, 17).filter(v -> v != u).toArray(), g.neighbours(u));
            }
        }
        assertTrue(NeighbourGraph.of(SecAggConfig.majority(9, 4, 1)).isComplete());
    }

    @Test
    void graph_neighbourhoodsSpreadOverIds_notClusteredByIndex() {
        // With the permutation, client 1's neighbours are not simply 2..k/2+1 and n−k/2+1..n as on the plain ring.
        NeighbourGraph g = NeighbourGraph.of(500, 142, 77, 1);
        int[] plainRing = IntStream.concat(IntStream.rangeClosed(2, 72), IntStream.rangeClosed(430, 500)).toArray();
        assertFalse(Arrays.equals(plainRing, g.neighbours(1)));
        long far = Arrays.stream(g.neighbours(1)).filter(v -> v > 150 && v < 350).count();
        // Hypergeometric mean 142·199/499 ≈ 57; P[< 20] < 1e−12, so this does not fail by chance.
        assertTrue(far >= 20, "neighbours of 1 between 151 and 349: " + far);
    }

    @Test
    void config_invalidNeighbours_rejectedNamingParameter() {
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> new SecAggConfig(11, 4, 10, 1, 5, 0));
        assertTrue(odd.getMessage().startsWith("neighbours:"), odd.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new SecAggConfig(11, 4, 10, 1, 11, 0));
        assertTrue(big.getMessage().startsWith("neighbours:"), big.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> new SecAggConfig(20, 8, 10, 1, 6, 0));
        assertTrue(t.getMessage().startsWith("threshold:") && t.getMessage().contains("neighbours + 1 = 7"), t.getMessage());
    }

    private static BitSet reachableFrom(NeighbourGraph g, int start) {
        return reachableAvoiding(g, start, new BitSet());
    }

    private static BitSet reachableAvoiding(NeighbourGraph g, int start, BitSet removed) {
        BitSet seen = new BitSet();
        Deque<Integer> todo = new ArrayDeque<>();
        seen.set(start);
        todo.add(start);
        while (!todo.isEmpty()) {
            for (int v : g.neighbours(todo.poll())) {
                if (!removed.get(v) && !seen.get(v)) {
                    seen.set(v);
                    todo.add(v);
                }
            }
        }
        return seen;
    }
}
