package io.metafed.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
    private static final List<String> CANDIDATES = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    @Test
    void sample_sameSeedAndRound_sameClientsRegardlessOfCandidateOrder() {
        List<String> reversed = new ArrayList<>(CANDIDATES);
        Collections.reverse(reversed);
        assertEquals(ClientSampler.sample(CANDIDATES, 4, 5, 3), ClientSampler.sample(reversed, 4, 5, 3));
    }

    @Test
    void sample_countBelowCandidates_returnsDistinctCandidates() {
        List<String> s = ClientSampler.sample(CANDIDATES, 6, 1, 0);
        assertEquals(6, s.size());
        assertEquals(6, new HashSet<>(s).size());
        assertTrue(CANDIDATES.containsAll(s));
    }

    @Test
    void sample_countAboveCandidates_returnsAllCandidates() {
        List<String> s = ClientSampler.sample(List.of("x", "y", "x"), 5, 1, 0);
        assertEquals(2, s.size());
        assertEquals(new HashSet<>(List.of("x", "y")), new HashSet<>(s));
    }

    @Test
    void sample_manyRounds_selectsEachCandidateAboutEquallyOften() {
        int rounds = 4000;
        int[] hits = new int[CANDIDATES.size()];
        for (int r = 0; r < rounds; r++) {
            for (String c : ClientSampler.sample(CANDIDATES, 3, 77, r)) {
                hits[CANDIDATES.indexOf(c)]++;
            }
        }
        // expected 4000·3/10 = 1200 per candidate; binomial sd ≈ √(4000·0.3·0.7) ≈ 29, so ±150 is > 5 sd
        for (int i = 0; i < hits.length; i++) {
            assertTrue(Math.abs(hits[i] - 1200) < 150, "candidate " + CANDIDATES.get(i) + " hit " + hits[i]);
        }
    }
}
