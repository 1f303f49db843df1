package io.metafed.sdk;

import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metafed.model.onnx.MetafedGraphs;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {
    @Test
    void adaptationConfig_invalidValues_areRejectedNamingRuleAndValue() {
        assertEquals("steps must be >= 0, found -1",
                assertThrows(IllegalArgumentException.class, () -> new AdaptationConfig(-1, 0.1f, 8, 1)).getMessage());
        assertEquals("learningRate must be a positive finite number, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> new AdaptationConfig(1, 0f, 8, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdaptationConfig(1, Float.NaN, 8, 1));
        assertEquals("batchSize must be positive, found 0",
                assertThrows(IllegalArgumentException.class, () -> new AdaptationConfig(1, 0.1f, 0, 1)).getMessage());
    }

    @Test
    void globalModel_params_areCopiedInAndOut() {
        float[] params = new float[LAYOUT.size()];
        GlobalModel model = GlobalModel.of(3, LAYOUT, params);
        params[0] = 9f;
        model.params()[1] = 9f;
        assertArrayEquals(new float[LAYOUT.size()], model.params());
    }

    @Test
    void globalModel_nanOrWrongLayout_isRejectedNamingExpectedAndFound() {
        float[] params = new float[LAYOUT.size()];
        params[7] = Float.NaN;
        assertEquals("params[7] must be finite, found NaN",
                assertThrows(IllegalArgumentException.class, () -> GlobalModel.of(1, LAYOUT, params)).getMessage());
        GlobalModel otherLayout = new GlobalModel(1, 42L, new float[LAYOUT.size()]);
        assertEquals("global model v1 layout id must be " + MetafedGraphs.hex(LAYOUT.id()) + ", found "
                        + MetafedGraphs.hex(42L),
                assertThrows(IllegalArgumentException.class, () -> otherLayout.requireLayout(LAYOUT)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GlobalModel(-1, LAYOUT.id(), new float[1]));
    }

    @Test
    void localUpdate_invalidValues_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LocalUpdate(1, new float[] {Float.NaN}, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalUpdate(1, new float[1], 0, 1, 1));
        assertEquals("lossAfter must be finite and >= 0, found NaN", assertThrows(IllegalArgumentException.class,
                () -> new LocalUpdate(1, new float[1], 1, 1, Double.NaN)).getMessage());
    }

    @Test
    void recommendation_bestFirst_ordersByScoreThenLowerItem() {
        Recommendation a = new Recommendation(5, 4f);
        Recommendation b = new Recommendation(2, 4f);
        Recommendation c = new Recommendation(1, 3f);
        assertEquals(java.util.List.of(b, a, c),
                java.util.stream.Stream.of(c, a, b).sorted(Recommendation.BEST_FIRST).toList());
    }
}
