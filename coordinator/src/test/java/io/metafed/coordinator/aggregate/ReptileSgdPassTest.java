package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metafed.model.nn.ParamVector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plain Reptile's close runs as one pass ({@link Sgd#descend}); it must give the floats of the general path it
 * replaced for SGD — mean, negate, {@link Sgd#step}, θ − update — to the bit.
 */
class ReptileSgdPassTest {

    /** The general path as Reptile.aggregate ran it for every optimizer. */
    private static float[] generalPath(ParamVector theta, WeightedSum sum, double lr) {
        double[] gradient = sum.mean();
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] = -gradient[j];
        }
        double[] update = new Sgd().step(gradient, lr, OptimizerState.Empty.INSTANCE).update();
        float[] next = new float[theta.size()];
        for (int j = 0; j < next.length; j++) {
            next[j] = (float) (theta.get(j) - update[j]);
        }
        return next;
    }

    @Test
    void onePass_equalsTheGeneralPath_toTheBit() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int size = 1 + r.nextInt(2_000);
            float[] theta = new float[size];
            for (int j = 0; j < size; j++) {
                theta[j] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(7) - 3));
            }
            WeightedSum sum = new WeightedSum(size);
            for (int c = 1 + r.nextInt(40); c > 0; c--) {
                float[] delta = new float[size];
                for (int j = 0; j < size; j++) {
                    delta[j] = r.nextInt(4) == 0 ? 0f : (float) ((r.nextDouble() - 0.5) * 1e-2);
                }
                sum.add(ParamVector.adopt(delta), 1 + r.nextInt(300));
            }
            double epsilon = r.nextDouble() * 2;
            ParamVector vector = ParamVector.copyOf(theta);
            float[] expected = generalPath(vector, sum, epsilon);
            float[] actual = Reptile.constant(epsilon).aggregate(vector, sum, 1, OptimizerState.Empty.INSTANCE)
                    .params();
            for (int j = 0; j < size; j++) {
                assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(actual[j]), "θ'[" + j + "]");
            }
        }
    }

    @Test
    void anEmptySum_isRefusedAsBefore() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Reptile.constant(1)
                .aggregate(ParamVector.copyOf(new float[3]), new WeightedSum(3), 1, OptimizerState.Empty.INSTANCE));
        assertEquals("mean of an empty weighted sum: no vectors were added", e.getMessage());
    }
}
