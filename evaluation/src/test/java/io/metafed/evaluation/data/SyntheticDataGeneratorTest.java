package io.metafed.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticDataGeneratorTest {

    @Test
    void generate_sameSeed_sameData() {
        Dataset a = SyntheticDataGenerator.generate(SyntheticConfig.small(42));
        Dataset b = SyntheticDataGenerator.generate(SyntheticConfig.small(42));
        assertEquals(a.interactions(), b.interactions());
        assertEquals(a.users(), b.users());
        assertEquals(a.items(), b.items());
    }

    @Test
    void generate_otherSeed_otherData() {
        Dataset a = SyntheticDataGenerator.generate(SyntheticConfig.small(1));
        Dataset b = SyntheticDataGenerator.generate(SyntheticConfig.small(2));
        assertNotEquals(a.interactions(), b.interactions());
    }

    @Test
    void generate_defaults_haveMovieLensShape() {
        SyntheticConfig config = SyntheticConfig.defaults(7);
        Dataset d = SyntheticDataGenerator.generate(config);
        assertEquals(config.users(), d.users().size());
        Map<Integer, Integer> perUser = new HashMap<>();
        Map<Integer, Integer> perItem = new HashMap<>();
        int[] levels = new int[6];
        for (Interaction in : d.interactions()) {
            perUser.merge(in.user(), 1, Integer::sum);
            perItem.merge(in.item(), 1, Integer::sum);
            levels[(int) in.rating()]++;
        }
        for (int count : perUser.values()) {
            assertTrue(count >= config.minRatings() && count <= config.maxRatings(), "ratings per user " + count);
        }
        for (int r = 1; r <= 5; r++) {
            assertTrue(levels[r] > d.interactions().size() / 50, "rating " + r + " must occur, found " + levels[r]);
        }
        int max = perItem.values().stream().max(Integer::compare).orElseThrow();
        double mean = d.interactions().size() / (double) perItem.size();
        assertTrue(max > 5 * mean, "popularity should be long-tailed: max " + max + " vs mean " + mean);
        assertEquals(3.5, d.meanRating(), 0.4);
    }
}
