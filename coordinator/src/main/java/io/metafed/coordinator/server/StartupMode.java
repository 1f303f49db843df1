package io.metafed.coordinator.server;

/**
 * What a start may do to the data directory's identity (docs/SECURITY.md, "Start-up state"). Whatever the mode, a
 * directory that holds federation state (state.json, enrolled clients, checkpoints) but no model-signing key never
 * gets a new key silently: every shipped app would refuse every model from then on.
 */
public enum StartupMode {
    /** Use the data directory as it is; an empty or uninitialized one stops the start ({@code coordinator}). */
    EXISTING,
    /**
     * Initialize a data directory that holds no federation yet (model-signing key, model version 0); one already
     * initialized is used as it is ({@code coordinator --init}). Tests and embedded servers start this way.
     */
    INIT,
    /** Replace the model-signing key with a new one and publish it ({@code coordinator --rotate-model-key}). */
    ROTATE_MODEL_KEY
}
