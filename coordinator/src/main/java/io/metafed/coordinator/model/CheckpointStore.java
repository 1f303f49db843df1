package io.metafed.coordinator.model;

import io.metafed.coordinator.aggregate.OptimizerState;
import java.io.IOException;
import java.util.Optional;

/**
 * Durable home of global model versions and the server optimizer state that goes with each. The coordinator
 * saves a version before adopting it, so a version is served only once it is stored; a failed save fails the
 * round and leaves the global model unchanged. {@link InMemoryCheckpointStore} serves tests and simulations,
 * {@link FileCheckpointStore} servers.
 *
 * <p>Implementations must be thread-safe and must refuse a version not newer than the latest one stored.
 */
public interface CheckpointStore {

    /**
     * Stores {@code model} together with {@code optimizerState}, the server optimizer state to continue from
     * after it ({@link OptimizerState.Empty} for stateless optimizers). The state is stored first, so a stored
     * model implies its state was stored too.
     *
     * @throws IOException if either could not be stored durably
     * @throws IllegalArgumentException if {@code model.version()} is not greater than the latest stored version,
     *     or the state does not cover {@code model.size()} parameters
     */
    void save(ModelVersion model, OptimizerState optimizerState) throws IOException;

    /** The stored version with the highest version number, if any. */
    Optional<ModelVersion> latest() throws IOException;

    /**
     * The optimizer state saved with model {@code version}; empty if there is none (a stateless optimizer, or a
     * checkpoint written before optimizer state was stored).
     *
     * @throws IOException if it exists but cannot be read
     * @throws IllegalArgumentException if it exists but is damaged; the message says what is wrong
     */
    Optional<OptimizerState> optimizerState(long version) throws IOException;
}
