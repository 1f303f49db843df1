package io.metafed.model.algorithm;

import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ModelSpec;
import io.metafed.model.nn.ParamLayout;
import java.util.Locale;

/**
 * The federated meta-learning algorithms, by the name a round's task announces them with. Each one is a pair: a
 * device-side learner (what a device does with θ and its ratings, and which Δ it returns; the SDK's
 * {@code LocalLearners}) and a server-side rule (how the coordinator turns the round's Δs into the next θ;
 * the coordinator's {@code AggregationRules}). Both sides switch over this enum exhaustively, so a new constant
 * does not compile until both halves exist.
 */
public enum FederatedAlgorithm {
    /** Federated averaging: whole local epochs of SGD on all ratings; the server averages the models (ε = 1). */
    FEDAVG("fedavg", "FedAvg"),
    /** Federated Reptile: k SGD steps; the server moves θ by ε toward the mean of the adapted models. */
    FEDREPTILE("fedreptile", "FedReptile"),
    /**
     * First-order MAML as Per-FedAvg runs it (Fallah et al. 2020): the device splits its ratings into support and
     * query, and each local step adapts on a support batch and follows the query gradient at the adapted point.
     */
    FOMAML("fomaml", "FOMAML"),
    /**
     * Meta-SGD (Li et al. 2017): a per-parameter inner learning rate α, shared and aggregated like θ; the device
     * adapts with φ = θ − α∘∇L_support and returns first-order meta-gradients for both θ and α.
     */
    META_SGD("meta-sgd", "Meta-SGD"),
    /**
     * Federated Reconstruction (Singhal et al. 2021), for models with private user parameters: reconstructed on
     * part of the ratings, the shared parameters trained on the rest; the server moves θ by ε toward the mean.
     */
    FEDRECON("fedrecon", "FedRecon");

    private final String wireName;
    private final String label;

    FederatedAlgorithm(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** The name in a task and on command lines, e.g. {@code meta-sgd}. */
    public String wireName() {
        return wireName;
    }

    /** The name in result tables, e.g. {@code Meta-SGD}. */
    public String label() {
        return label;
    }

    /** Whether this algorithm can train {@code spec}; {@link #requireSupports} says why not. */
    public boolean supports(ModelSpec spec) {
        boolean collab = spec instanceof CollabConfig;
        switch (this) {
            case FEDAVG:
                return true;
            case FEDRECON:
                return collab;
            default:
                return spec instanceof ModelConfig;
        }
    }

    /** @throws IllegalArgumentException naming the algorithm, the model family and the algorithms that fit it */
    public void requireSupports(ModelSpec spec) {
        if (!supports(spec)) {
            StringBuilder fitting = new StringBuilder();
            for (FederatedAlgorithm a : values()) {
                if (a.supports(spec)) {
                    fitting.append(fitting.length() == 0 ? "" : ", ").append(a.wireName);
                }
            }
            throw new IllegalArgumentException("algorithm " + wireName + " does not train model family "
                    + spec.family() + (this == FEDRECON ? " (it has no private user parameters)"
                    : spec instanceof CollabConfig ? " (its private user parameters need reconstruction)" : "")
                    + "; algorithms for " + spec.family() + ": " + fitting);
        }
    }

    /**
     * {@link #requireSupports} for the layout's model, and Meta-SGD exactly when θ carries its inner learning
     * rates ({@link ParamLayout#withInnerRates()}): another algorithm would feed α to the model, and Meta-SGD
     * without α has nothing to adapt with.
     *
     * @throws IllegalArgumentException saying which of the two does not fit
     */
    public void requireFits(ParamLayout layout) {
        requireSupports(layout.spec());
        if (layout.hasInnerRates() != (this == META_SGD)) {
            throw new IllegalArgumentException(this == META_SGD
                    ? "algorithm meta-sgd needs a layout with per-parameter inner learning rates, found " + layout
                    : "algorithm " + wireName + " cannot train a layout with Meta-SGD's inner learning rates ("
                    + layout + "); use meta-sgd");
        }
    }

    /** What a device runs when a task names no algorithm (coordinators before this field existed). */
    public static FederatedAlgorithm defaultFor(ModelSpec spec) {
        return spec instanceof CollabConfig ? FEDRECON : FEDREPTILE;
    }

    /** The default for {@code layout}: Meta-SGD when θ carries inner learning rates, else the model's. */
    public static FederatedAlgorithm defaultFor(ParamLayout layout) {
        return layout.hasInnerRates() ? META_SGD : defaultFor(layout.spec());
    }

    /**
     * The algorithm named {@code name} (wire name or enum name, any case).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static FederatedAlgorithm of(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (FederatedAlgorithm a : values()) {
                if (a.wireName.equals(key) || a.name().toLowerCase(Locale.ROOT).equals(key)) {
                    return a;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (FederatedAlgorithm a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.wireName);
        }
        throw new IllegalArgumentException("unknown algorithm '" + name + "': known are " + known);
    }
}
