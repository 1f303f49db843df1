package io.metafed.sdk;

import static io.metafed.sdk.SdkFixtures.DATA;
import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.model.onnx.MetafedGraphs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade's contract with the plain-Java runtime supplied, so these run without ONNX Runtime. */
class MetafedClientTest {
    private static final int USER = 3;
    private static final AdaptationConfig ONE_STEP = AdaptationConfig.fullBatch(1, 0.05f);
    @TempDir
    Path dir;

    private MetafedClient client() {
        return MetafedClient.builder().storePath(dir.resolve("ratings.store")).user(DATA.user(USER))
                .catalog(DATA.items()).layout(LAYOUT).runtime(new ReferenceModel(LAYOUT))
                .clock(Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC)).build();
    }

    private static GlobalModel global() {
        return GlobalModel.of(1, LAYOUT, SdkFixtures.params(1));
    }

    @Test
    void build_missingStorePath_isRefusedNamingIt() {
        MetafedClient.Builder builder = MetafedClient.builder().user(DATA.user(USER)).catalog(DATA).layout(LAYOUT);
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().startsWith("storePath is required"), e.getMessage());
    }

    @Test
    void build_runtimeOfOtherLayout_isRefusedNamingBothIds() {
        ParamLayout other = ParamLayout.of(new ModelConfig(FeatureSchema.standard(DATA), 8, List.of(4)));
        MetafedClient.Builder builder = MetafedClient.builder().storePath(dir.resolve("s")).user(DATA.user(USER))
                .catalog(DATA).layout(LAYOUT).runtime(new ReferenceModel(other));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("runtime layout id must be " + MetafedGraphs.hex(LAYOUT.id()) + " (the client's layout), found "
                + MetafedGraphs.hex(other.id()), e.getMessage());
    }

    @Test
    void recordRating_thenReopen_keepsCount() {
        try (MetafedClient client = client()) {
            client.recordRating(10, 4f);
            client.recordRating(11, 2f);
        }
        try (MetafedClient client = client()) {
            assertEquals(2, client.ratingCount());
        }
    }

    @Test
    void ratingScale_halfStars_acceptsHalvesAndRefusesOffGrid() {
        try (MetafedClient client = MetafedClient.builder().storePath(dir.resolve("half.store")).user(DATA.user(USER))
                .catalog(DATA.items()).layout(LAYOUT).runtime(new ReferenceModel(LAYOUT))
                .ratingScale(io.metafed.model.data.RatingScale.HALF_STARS).build()) {
            client.recordRating(10, 0.5f);
            client.recordRatings(new int[] {11, 12}, new float[] {3.5f, 5f});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.recordRating(10, 3.3f));
            assertEquals("rating must be on the scale 0.5–5 in steps of 0.5, found 3.3", e.getMessage());
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                    () -> client.recordRatings(new int[] {11, 12}, new float[] {4f, 0.25f}));
            assertEquals("ratings[1]: rating must be on the scale 0.5–5 in steps of 0.5, found 0.25",
                    batch.getMessage());
            assertEquals(3, client.ratingCount());
        }
        try (MetafedClient client = client()) {
            assertThrows(IllegalArgumentException.class, () -> client.recordRating(10, 0.5f)); // default 1–5
        }
    }

    @Test
    void recordRating_unknownItemOrBadRating_isRejectedNamingIt() {
        try (MetafedClient client = client()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.recordRating(99_999, 4f));
            assertEquals("item 99999 is not in the item catalog", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> client.recordRating(10, 6f));
            assertEquals(0, client.ratingCount());
        }
    }

    @Test
    void adapt_noRatings_isRefusedClearly() {
        try (MetafedClient client = client()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.adapt(global(), ONE_STEP));
            assertTrue(e.getMessage().startsWith("no local ratings to adapt on"), e.getMessage());
        }
    }

    @Test
    void adapt_badGlobalModel_isRejectedNamingExpectedAndFound() {
        try (MetafedClient client = client()) {
            client.recordRating(10, 4f);
            GlobalModel wrongId = new GlobalModel(2, LAYOUT.id() + 1, new float[LAYOUT.size()]);
            assertEquals("global model v2 layout id must be " + MetafedGraphs.hex(LAYOUT.id()) + ", found "
                    + MetafedGraphs.hex(LAYOUT.id() + 1), assertThrows(IllegalArgumentException.class,
                            () -> client.adapt(wrongId, ONE_STEP)).getMessage());
            GlobalModel wrongLength = new GlobalModel(2, LAYOUT.id(), new float[5]);
            assertEquals("global model v2 params must have length " + LAYOUT.size() + ", found 5",
                    assertThrows(IllegalArgumentException.class, () -> client.adapt(wrongLength, ONE_STEP))
                            .getMessage());
            float[] nan = new float[LAYOUT.size()];
            nan[3] = Float.NaN;
            assertEquals("params[3] must be finite, found NaN", assertThrows(IllegalArgumentException.class,
                    () -> client.adapt(new GlobalModel(2, LAYOUT.id(), nan), ONE_STEP)).getMessage());
        }
    }

    @Test
    void recommend_beforeAnyModel_isRefused() {
        try (MetafedClient client = client()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> client.recommend(3, new int[] {1, 2}));
            assertTrue(e.getMessage().startsWith("no model to score with"), e.getMessage());
        }
    }

    @Test
    void recommend_allScoresTied_ordersByLowerItemIdAndReturnsAllWhenKTooBig() {
        float[] constant = new float[LAYOUT.size()];
        constant[LAYOUT.bias(LAYOUT.denseLayers() - 1).offset()] = 3.5f; // every item scores the output bias
        try (MetafedClient client = client()) {
            client.useGlobalModel(GlobalModel.of(1, LAYOUT, constant));
            List<Recommendation> top = client.recommend(10, new int[] {9, 4, 7, 1});
            assertEquals(List.of(new Recommendation(1, 3.5f), new Recommendation(4, 3.5f),
                    new Recommendation(7, 3.5f), new Recommendation(9, 3.5f)), top);
            assertThrows(IllegalArgumentException.class, () -> client.recommend(2, new int[] {4, 4}));
            assertThrows(IllegalArgumentException.class, () -> client.recommend(0, new int[] {4}));
        }
    }

    @Test
    void closedClient_refusesEveryCall() {
        MetafedClient client = client();
        client.recordRating(10, 4f);
        client.close();
        client.close();
        List<Runnable> calls = List.of(() -> client.recordRating(10, 4f), client::ratingCount,
                () -> client.adapt(global(), ONE_STEP), () -> client.useGlobalModel(global()),
                () -> client.recommend(1, new int[] {1}), () -> client.predict(new int[] {1}));
        for (Runnable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertEquals("MetafedClient of user " + USER + " is closed", e.getMessage());
        }
    }
}
