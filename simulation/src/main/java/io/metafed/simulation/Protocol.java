package io.metafed.simulation;

/**
 * What may train the model before a cold-start task is evaluated, and the matching bias baseline.
 */
public enum Protocol {
    /**
     * MeLU's: only TRAIN ratings train θ; evaluation adapts on the task's support set alone. The baseline's μ and
     * b_i come from TRAIN, b_u from the evaluated task's support set.
     */
    MELU,
    /**
     * As deployed: every device's support ratings also take part in federated training (query ratings never do),
     * and a device adapts on everything it holds. The baseline is fitted on the same ratings.
     */
    DEPLOYMENT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
