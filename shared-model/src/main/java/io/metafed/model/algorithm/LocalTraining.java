package io.metafed.model.algorithm;

import io.metafed.model.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a round asks every selected device to do: the algorithm and its local hyperparameters. The coordinator
 * announces it in each task, the SDK runs it, the simulator and the server configure it from the same type, so
 * the rules for these numbers live here once.
 *
 * @param algorithm    the device-side learner and server-side rule ({@link FederatedAlgorithm})
 * @param steps        local SGD (or meta-) steps; ≥ 1
 * @param epochs       FedAvg: whole passes over the device's ratings in minibatches instead of {@code steps}
 *                     ({@link #stepsFor}); 0: use {@code steps}
 * @param learningRate the inner learning rate α (Meta-SGD: α's initial value)
 * @param batchSize    ratings per minibatch
 * @param metaStepSize FOMAML and Meta-SGD: the device's outer step β along the query gradient
 */
public record LocalTraining(FederatedAlgorithm algorithm, int steps, int epochs, double learningRate, int batchSize,
                            double metaStepSize) {

    public LocalTraining {
        Objects.requireNonNull(algorithm, "algorithm");
        Checks.positive(steps, "steps");
        Checks.nonNegative(epochs, "epochs");
        Checks.positive(learningRate, "learningRate");
        Checks.positive(batchSize, "batchSize");
        Checks.positive(metaStepSize, "metaStepSize");
        if (epochs > 0 && algorithm != FederatedAlgorithm.FEDAVG) {
            throw new IllegalArgumentException("epochs are FedAvg's local schedule; " + algorithm.wireName()
                    + " runs 'steps' local steps (found epochs=" + epochs + ")");
        }
    }

    public static Builder builder(FederatedAlgorithm algorithm) {
        return new Builder(algorithm);
    }

    /** The local steps a device with {@code ratings} ratings runs: {@code epochs} passes, or {@code steps}. */
    public int stepsFor(int ratings) {
        if (epochs == 0) {
            return steps;
        }
        long batches = Math.max(1, ((long) ratings + batchSize - 1) / batchSize);
        return (int) Math.min(Integer.MAX_VALUE, epochs * batches);
    }

    /** This training with another algorithm, the other numbers kept (epochs dropped unless FedAvg). */
    public LocalTraining withAlgorithm(FederatedAlgorithm other) {
        return new LocalTraining(other, steps, other == FederatedAlgorithm.FEDAVG ? epochs : 0, learningRate,
                batchSize, metaStepSize);
    }

    /** Hyperparameters for provenance, keys prefixed {@code client.}. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("client.algorithm", algorithm.wireName());
        map.put("client.innerSteps", Integer.toString(steps));
        map.put("client.innerLr", Double.toString(learningRate));
        map.put("client.batchSize", Integer.toString(batchSize));
        if (epochs > 0) {
            map.put("client.epochs", Integer.toString(epochs));
        }
        if (algorithm == FederatedAlgorithm.FOMAML || algorithm == FederatedAlgorithm.META_SGD) {
            map.put("client.metaStepSize", Double.toString(metaStepSize));
        }
        return map;
    }

    /**
     * Collects the numbers with the defaults the simulator's docs state: 5 steps at 0.05, batches of 32, no
     * epochs, β = the learning rate; {@link #build} validates them together.
     */
    public static final class Builder {
        private final FederatedAlgorithm algorithm;
        private int steps = 5;
        private int epochs;
        private double learningRate = 0.05;
        private int batchSize = 32;
        private Double metaStepSize;

        private Builder(FederatedAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        }

        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder metaStepSize(double metaStepSize) {
            this.metaStepSize = metaStepSize;
            return this;
        }

        public LocalTraining build() {
            return new LocalTraining(algorithm, steps, epochs, learningRate, batchSize,
                    metaStepSize == null ? learningRate : metaStepSize);
        }
    }
}
