package io.metafed.model.nn;

/**
 * The architecture of one model family: what its parameters are and how they are named. Two specs with equal
 * {@link #describe() descriptions} have identical {@link ParamLayout}s, on every device and on the coordinator.
 */
public sealed interface ModelSpec permits ModelConfig, CollabConfig {
    /** Canonical text form; part of the layout id. */
    String describe();

    /** Short family name as users select it, e.g. {@code melu} or {@code collab}. */
    String family();
}
