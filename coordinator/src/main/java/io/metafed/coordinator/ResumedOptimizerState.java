package io.metafed.coordinator;

import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The server optimizer state a resumed coordinator starts with: the one stored with the resumed model version if
 * it is there, readable and made by the configured optimizer (same kind, size and {@code optimizer.*}
 * hyperparameters); otherwise the rule's initial state, with the reason. Never fails: a lost optimizer state
 * costs the optimizer its history, refusing to start would cost the federation.
 *
 * @param resetReason why {@code state} is the initial state rather than the stored one; empty when it was
 *     restored or the configured optimizer keeps no state
 */
record ResumedOptimizerState(OptimizerState state, Optional<String> resetReason) {
    private static final String OPTIMIZER_KEYS = "optimizer";

    ResumedOptimizerState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(resetReason, "resetReason");
    }

    static ResumedOptimizerState load(CheckpointStore store, ModelVersion model, AggregationRule rule, int size) {
        OptimizerState fresh = rule.initialState(size);
        if (fresh.size() == 0) {
            return new ResumedOptimizerState(fresh, Optional.empty()); // nothing to continue
        }
        long version = model.version();
        Optional<OptimizerState> stored;
        try {
            stored = store.optimizerState(version);
        } catch (IOException | IllegalArgumentException e) {
            return reset(fresh, "the optimizer state stored with model version " + version + " is unreadable: "
                    + e.getMessage());
        }
        if (stored.isEmpty()) {
            return reset(fresh, "no optimizer state was stored with model version " + version + " (a stateless"
                    + " optimizer made it, or it predates optimizer state checkpoints)");
        }
        OptimizerState s = stored.get();
        if (!s.kind().equals(fresh.kind()) || s.size() != fresh.size()) {
            return reset(fresh, "model version " + version + " was stored with " + s.kind() + " state for "
                    + s.size() + " parameters, expected " + fresh.kind() + " state for " + fresh.size());
        }
        Optional<String> changed = changedHyperparameter(model.provenance().hyperparameters(), rule.describe());
        if (changed.isPresent()) {
            return reset(fresh, changed.get() + " since model version " + version);
        }
        return new ResumedOptimizerState(s, Optional.empty());
    }

    /** The first {@code optimizer*} key whose value differs, e.g. after the operator changed β. */
    private static Optional<String> changedHyperparameter(Map<String, String> stored, Map<String, String> configured) {
        TreeSet<String> keys = new TreeSet<>();
        stored.keySet().stream().filter(k -> k.startsWith(OPTIMIZER_KEYS)).forEach(keys::add);
        configured.keySet().stream().filter(k -> k.startsWith(OPTIMIZER_KEYS)).forEach(keys::add);
        for (String key : keys) {
            if (!Objects.equals(stored.get(key), configured.get(key))) {
                return Optional.of(key + " changed from " + stored.get(key) + " to " + configured.get(key));
            }
        }
        return Optional.empty();
    }

    private static ResumedOptimizerState reset(OptimizerState fresh, String reason) {
        return new ResumedOptimizerState(fresh, Optional.of(reason));
    }
}
