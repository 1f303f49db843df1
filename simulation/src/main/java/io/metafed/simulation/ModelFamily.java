package io.metafed.simulation;

/** The model a simulation trains (the {@code --model} option). */
public enum ModelFamily {
    /** μ + b_i + b_u + ⟨p_u, q_i⟩ with an item table, a content tower and private user parameters (the default). */
    COLLAB,
    /** The MeLU-style MLP over user and item features, without item identity or private parameters. */
    MELU;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
