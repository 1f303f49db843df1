package io.metafed.coordinator.model;

import java.io.IOException;
import java.util.Optional;

/**
 * Durable home of global model versions. The coordinator saves a version before adopting it, so a version is
 * served only once it is stored; a failed save fails the round and leaves the global model unchanged.
 * {@link InMemoryCheckpointStore} serves tests; a file-backed store (over the shared weight-file format) will
 * implement the same contract.
 *
 * <p>Implementations must be thread-safe and must refuse a version not newer than the latest one stored.
 */
public interface CheckpointStore {

    /**
     * Stores {@code model}.
     *
     * @throws IOException if it could not be stored durably
     * @throws IllegalArgumentException if {@code model.version()} is not greater than the latest stored version
     */
    void save(ModelVersion model) throws IOException;

    /** The stored version with the highest version number, if any. */
    Optional<ModelVersion> latest() throws IOException;
}
