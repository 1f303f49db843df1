package io.metafed.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.baseline.BiasBaseline;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatingScaleTest {
    @Test
    void contains_respectsRangeAndGrid() {
        assertTrue(RatingScale.HALF_STARS.contains(0.5f));
        assertTrue(RatingScale.HALF_STARS.contains(4.5f));
        assertFalse(RatingScale.HALF_STARS.contains(4.3f));
        assertFalse(RatingScale.HALF_STARS.contains(0f));
        assertFalse(RatingScale.ONE_TO_FIVE.contains(3.5f));
        assertTrue(new RatingScale(1, 10, 0).contains(7.25f));
    }

    @Test
    void relevanceThreshold_followsTheScale() {
        assertEquals(4.0, RatingScale.ONE_TO_FIVE.relevanceThreshold());
        assertEquals(4.0, RatingScale.HALF_STARS.relevanceThreshold());
        assertEquals(8.0, new RatingScale(1, 10, 1).relevanceThreshold());
    }

    @Test
    void parse_andItsRefusals() {
        assertEquals(new RatingScale(1, 10, 0), RatingScale.parse("1:10"));
        assertEquals(RatingScale.HALF_STARS, RatingScale.parse("0.5:5:0.5"));
        assertEquals("rating scale must look like MIN:MAX or MIN:MAX:STEP, found '5'",
                assertThrows(IllegalArgumentException.class, () -> RatingScale.parse("5")).getMessage());
        assertEquals("rating scale max must be > min, found min 5.0, max 1.0",
                assertThrows(IllegalArgumentException.class, () -> RatingScale.parse("5:1")).getMessage());
        assertEquals("rating scale step must divide max - min, found step 0.3 for 1.0..2.0",
                assertThrows(IllegalArgumentException.class, () -> RatingScale.parse("1:2:0.3")).getMessage());
    }

    @Test
    void biasBaseline_clampsToTheDatasetScale() {
        List<Interaction> ratings = List.of(new Interaction(1, 1, 0.5f, 0), new Interaction(1, 2, 0.5f, 0),
                new Interaction(2, 1, 1f, 0));
        BiasBaseline half = BiasBaseline.fit(ratings, new BiasBaseline.Config(0, 0, 1), RatingScale.HALF_STARS);
        assertTrue(half.predict(1, 2) < 1.0, "a 0.5–5 baseline may predict below 1: " + half.predict(1, 2));
        BiasBaseline whole = BiasBaseline.fit(ratings, new BiasBaseline.Config(0, 0, 1), RatingScale.ONE_TO_FIVE);
        assertEquals(1.0, whole.predict(1, 2));
        BiasBaseline tenScale = BiasBaseline.fit(List.of(new Interaction(1, 1, 10, 0)), new RatingScale(1, 10, 1));
        assertEquals(10.0, tenScale.predict(1, 1), 1e-9);
    }

    @Test
    void dataset_refusesRatingsOffItsScale() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dataset("d",
                List.of(new Interaction(1, 1, 3.5f, 0)), java.util.Map.of(1, UserProfile.unknown(1)),
                java.util.Map.of(1, new ItemProfile(1, "i", 0, new boolean[0])), List.of(), List.of()));
        assertTrue(e.getMessage().endsWith("rating must be on the scale 1–5 in steps of 1, found 3.5"), e.getMessage());
    }
}
