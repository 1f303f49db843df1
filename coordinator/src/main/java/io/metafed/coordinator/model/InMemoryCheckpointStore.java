package io.metafed.coordinator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Keeps every saved version in memory. For tests and simulations; thread-safe by synchronizing on itself. */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final List<ModelVersion> versions = new ArrayList<>();

    @Override
    public synchronized void save(ModelVersion model) {
        Objects.requireNonNull(model, "model");
        if (!versions.isEmpty()) {
            long latest = versions.get(versions.size() - 1).version();
            if (model.version() <= latest) {
                throw new IllegalArgumentException("version must be greater than the latest stored version "
                        + latest + ", found " + model.version());
            }
        }
        versions.add(model);
    }

    @Override
    public synchronized Optional<ModelVersion> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** Every saved version, oldest first. */
    public synchronized List<ModelVersion> versions() {
        return List.copyOf(versions);
    }
}
