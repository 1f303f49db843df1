package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.round.ParticipantSampler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 3: a server's client selection cannot be predicted from its {@code --seed}. Two federations with
 * the same configuration (seed 42) and the same enrolled clients, each driven through its scheduler, select
 * differently; and the secure sampler is uniform.
 */
class SecureSamplingTest {
    static final FederationConfig CONFIG = FederationConfig.defaults().withOverSelection(1.0)
            .withRounds(5, 2, 5, Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private List<List<String>> selections(Path data, int rounds) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        List<List<String>> out = new ArrayList<>();
        try (Federation f = Federation.open(data, CONFIG, AuthConfig.disabled(), clock)) {
            assertInstanceOf(ParticipantSampler.Secure.class, f.coordinator().config().sampler());
            for (int i = 0; i < 20; i++) {
                f.clients().enroll("c" + i);
                f.coordinator().checkIn("c" + i);
            }
            for (int r = 0; r < rounds; r++) {
                f.scheduler().tick(); // opens
                out.add(f.scheduler().current().orElseThrow().task().selectedClients());
                clock.advance(Duration.ofSeconds(10));
                f.scheduler().tick(); // deadline: fails without updates
            }
        }
        return out;
    }

    @Test
    void sameSeedSameClients_twoServers_selectDifferently() throws Exception {
        // A seeded sampler would give identical lists; C(20,5) = 15,504, so three equal rounds by chance is ~1e-13.
        List<List<String>> a = selections(dir.resolve("a"), 3);
        List<List<String>> b = selections(dir.resolve("b"), 3);
        assertEquals(3, a.size());
        a.forEach(s -> assertEquals(5, s.size()));
        assertNotEquals(a, b, "two servers with --seed 42 selected the same clients in three rounds");
    }

    @Test
    void secureSampler_isUniform() {
        ParticipantSampler sampler = ParticipantSampler.secure();
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            candidates.add("c" + i);
        }
        Map<String, Integer> counts = new HashMap<>();
        int draws = 4_000;
        for (int r = 0; r < draws; r++) {
            List<String> s = sampler.sample(candidates, 3, r);
            assertEquals(3, s.stream().distinct().count(), "without replacement");
            s.forEach(c -> counts.merge(c, 1, Integer::sum));
        }
        // Each client expects 1,200 selections (sd ≈ 29); 6 sd either side.
        counts.forEach((c, n) -> assertTrue(Math.abs(n - 1_200) < 175, c + " selected " + n + " times"));
        assertEquals(10, counts.size());
    }

    @Test
    void seededSampler_replaysForSimulations() {
        List<String> candidates = List.of("a", "b", "c", "d", "e", "f");
        assertEquals(ParticipantSampler.seeded(7).sample(candidates, 3, 2),
                ParticipantSampler.seeded(7).sample(candidates, 3, 2));
    }
}
