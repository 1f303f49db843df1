package io.metafed.coordinator.aggregate;

import io.metafed.model.algorithm.FederatedAlgorithm;
import java.util.Locale;
import java.util.Objects;

/**
 * The server half of each {@link FederatedAlgorithm}: which {@link AggregationRule} turns a round's updates into
 * the next θ. The SDK's {@code LocalLearners} is the device half; both switch over the same enum, so the
 * simulator and {@code CoordinatorMain} choose from one registry.
 * <p>
 * Every algorithm's device returns Δ in θ's coordinates (FOMAML and Meta-SGD: minus β times the summed
 * first-order meta-gradients), so all of them aggregate the weighted mean Δ̄ and move θ by the server optimizer
 * at rate ε. FedAvg is the special case ε = 1 with plain SGD, kept as its own rule because it averages the models
 * themselves; with another ε or optimizer FedAvg becomes FedOpt (Reddi et al. 2021), i.e. {@link Reptile}.
 */
public final class AggregationRules {
    private AggregationRules() {
    }

    public static AggregationRule of(FederatedAlgorithm algorithm, EpsilonSchedule epsilon, ServerOptimizer optimizer) {
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(optimizer, "optimizer");
        // No default branch: a new algorithm does not compile until it has a rule here.
        return switch (Objects.requireNonNull(algorithm, "algorithm")) {
            case FEDAVG -> optimizer instanceof Sgd && epsilon instanceof EpsilonSchedule.Constant c && c.epsilon() == 1.0
                    ? new FedAvg() : new Reptile(epsilon, optimizer);
            case FEDREPTILE, FOMAML, META_SGD, FEDRECON -> new Reptile(epsilon, optimizer);
        };
    }

    /** {@code sgd}, {@code momentum} (β = 0.9) or {@code adam} (the usual defaults), as command lines name them. */
    public static ServerOptimizer optimizer(String name) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new Sgd();
            case "momentum":
                return new Momentum(0.9);
            case "adam":
                return Adam.defaults();
            default:
                throw new IllegalArgumentException("server optimizer must be sgd, momentum or adam, found '" + name
                        + "'");
        }
    }
}
