package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-round selection through the facade replays from the seed. */
class SamplingTest {

    private static List<List<String>> selections(long seed, int rounds) {
        Coordinator c = Fixtures.coordinator(Fixtures.tinyLayout(), new float[6],
                Fixtures.config(RoundConfig.of(4, 1, seed), Reptile.constant(1)),
                new InMemoryCheckpointStore(), 30);
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            out.add(c.openRound().selectedClients());
            c.closeRound(); // no updates: fails, which still advances the round id
        }
        return out;
    }

    @Test
    void openRound_sameSeed_replaysSelectionsEveryRound() {
        assertEquals(selections(11, 5), selections(11, 5));
    }

    @Test
    void openRound_differentSeedsOrRounds_selectDifferently() {
        List<List<String>> a = selections(11, 3);
        assertNotEquals(a, selections(12, 3));
        assertNotEquals(a.get(0), a.get(1));
        assertNotEquals(a.get(1), a.get(2));
    }
}
