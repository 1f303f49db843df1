package io.metafed.coordinator.model;

import io.metafed.coordinator.aggregate.OptimizerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Keeps every saved version in memory. For tests and simulations; thread-safe by synchronizing on itself. */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final List<ModelVersion> versions = new ArrayList<>();
    private final Map<Long, OptimizerState> optimizerStates = new HashMap<>(); // stateful ones only, by version

    @Override
    public synchronized void save(ModelVersion model, OptimizerState optimizerState) {
        Objects.requireNonNull(model, "model");
        CheckpointChecks.optimizerState(model, optimizerState);
        if (!versions.isEmpty()) {
            long latest = versions.get(versions.size() - 1).version();
            if (model.version() <= latest) {
                throw new IllegalArgumentException("version must be greater than the latest stored version "
                        + latest + ", found " + model.version());
            }
        }
        if (optimizerState.size() > 0) {
            optimizerStates.put(model.version(), optimizerState); // immutable, so kept as is
        }
        versions.add(model);
    }

    @Override
    public synchronized Optional<ModelVersion> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    @Override
    public synchronized Optional<OptimizerState> optimizerState(long version) {
        return Optional.ofNullable(optimizerStates.get(version));
    }

    /** Every saved version, oldest first. */
    public synchronized List<ModelVersion> versions() {
        return List.copyOf(versions);
    }
}
