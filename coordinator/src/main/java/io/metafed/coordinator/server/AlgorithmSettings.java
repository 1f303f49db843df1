package io.metafed.coordinator.server;

import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.model.Checks;
import io.metafed.model.algorithm.FederatedAlgorithm;
import java.util.Objects;

/**
 * Which algorithm of the registry a served federation runs, beyond the inner loop's numbers it shares with every
 * algorithm: FedAvg's local epochs, FOMAML's and Meta-SGD's outer step β, and the server optimizer that turns the
 * round's mean update into the step on θ.
 *
 * @param epochs       FedAvg: local passes over each device's ratings (0: the inner steps)
 * @param metaStepSize FOMAML, Meta-SGD: β (0: the inner learning rate)
 * @param annealAfter  rounds the server's ε is held before annealing starts
 * @param annealRounds rounds over which the server's ε is then annealed linearly to 5% ({@link
 *     EpsilonSchedule#annealed}); 0: constant ε
 */
public record AlgorithmSettings(FederatedAlgorithm algorithm, int epochs, double metaStepSize,
                                ServerOptimizer optimizer, int annealAfter, int annealRounds) {
    public AlgorithmSettings {
        Checks.nonNegative(annealAfter, "annealAfter");
        Checks.nonNegative(annealRounds, "annealRounds");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(optimizer, "optimizer");
        Checks.nonNegative(epochs, "epochs");
        if (!(metaStepSize >= 0) || Double.isInfinite(metaStepSize)) {
            throw new IllegalArgumentException("metaStepSize must be >= 0 and finite, found " + metaStepSize);
        }
        if (epochs > 0 && algorithm != FederatedAlgorithm.FEDAVG) {
            throw new IllegalArgumentException("local epochs are FedAvg's; " + algorithm.wireName()
                    + " runs the inner steps (found epochs=" + epochs + ")");
        }
    }

    /** {@code algorithm} with its defaults: the inner steps, β = the inner learning rate, plain SGD on the server. */
    public static AlgorithmSettings of(FederatedAlgorithm algorithm) {
        return new AlgorithmSettings(algorithm, 0, 0, new Sgd(), 0, 0);
    }

    /** Without annealing: constant ε. */
    public AlgorithmSettings(FederatedAlgorithm algorithm, int epochs, double metaStepSize, ServerOptimizer optimizer) {
        this(algorithm, epochs, metaStepSize, optimizer, 0, 0);
    }

    /** These settings with ε held for {@code after} rounds, then annealed over {@code rounds} (0: constant). */
    public AlgorithmSettings withAnnealing(int after, int rounds) {
        return new AlgorithmSettings(algorithm, epochs, metaStepSize, optimizer, after, rounds);
    }

    /** The server's ε schedule starting at {@code epsilon}. */
    public EpsilonSchedule epsilon(double epsilon) {
        return EpsilonSchedule.annealed(epsilon, annealAfter, annealRounds);
    }
}
