package io.metafed.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.FieldSpec;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlopsTest {
    /** Two one-hot fields of 3 and 4 values, 2-d embeddings, one hidden layer of 5: concat width 4. */
    private static final ParamLayout TINY = ParamLayout.of(new ModelConfig(new FeatureSchema(List.of(
            new FieldSpec("a", 3, false), new FieldSpec("b", 4, false))), 2, List.of(5)));

    @Test
    void denseMultiplyAdds_tinyLayout_sumsEveryDenseLayerIncludingOutput() {
        assertEquals(4 * 5 + 5 * 1, Flops.denseMultiplyAdds(TINY));
    }

    @Test
    void sgdStep_tinyLayout_isForwardTwiceBackwardAndUpdate() {
        int rows = 3;
        long nonZeros = 6; // one per field and row
        double embedding = 2.0 * nonZeros * 2;
        double dense = 2.0 * rows * 25;
        assertEquals(embedding + dense, Flops.forward(TINY, rows, nonZeros));
        int params = 3 * 2 + 4 * 2 + 4 * 5 + 5 + 5 + 1;
        assertEquals(params, TINY.size());
        assertEquals(embedding + dense + embedding + 2 * dense + 2.0 * params, Flops.sgdStep(TINY, rows, nonZeros));
    }

    @Test
    void multiply_knownMatrices_matchesHandResult() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = {9, 9, 9, 9}; // overwritten, not accumulated into
        Flops.multiply(a, b, c, 2);
        assertEquals(List.of(19f, 22f, 43f, 50f), List.of(c[0], c[1], c[2], c[3]));
    }

    @Test
    void nonZeros_mixedRow_countsOnlyNonZeroEntries() {
        assertEquals(3, Flops.nonZeros(new float[] {0f, 1f, 0.5f, 0f, -2f}));
    }
}
