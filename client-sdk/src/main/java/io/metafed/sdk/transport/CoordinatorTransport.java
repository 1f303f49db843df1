package io.metafed.sdk.transport;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * How a device talks to the coordinator, the same whether the coordinator runs in process (simulator) or
 * behind HTTP ({@link HttpCoordinatorTransport}, protocol v1 in docs/PROTOCOL.md). Every method throws
 * {@link TransportException} on failure, whose {@link TransportException#kind()} says whether a later retry
 * can help; implementations retry transient failures themselves before giving up.
 */
public interface CoordinatorTransport {

    /** Registers {@code clientId} for future rounds; idempotent. */
    void enroll(String clientId);

    /** The task of {@code clientId} in the open round, or empty when it has none now. */
    Optional<TaskResponse> task(String clientId);

    /**
     * Like {@link #task} with the coordinator's advice on when to ask again; transports that get none (in process)
     * report none.
     */
    default TaskPoll poll(String clientId) {
        return new TaskPoll(task(clientId), Optional.empty());
    }

    /**
     * The current global model, checked to follow {@code layout}.
     *
     * @throws TransportException {@link TransportException.Kind#REFUSED} when the coordinator serves another
     *                            layout (this device is out of date)
     */
    GlobalModel downloadModel(ParamLayout layout);

    /**
     * Sends Δ of {@code update} for {@code task}'s round, as a weight file of {@code layout}.
     *
     * @throws IllegalArgumentException when {@code update} is not for {@code task}'s model version or not of
     *                                  {@code layout}'s length (nothing is sent)
     */
    void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout);

    /**
     * Deletes what this transport keeps on the device for {@code clientId} (a cached model, device keys it
     * created), for {@link FederatedParticipant#deleteAllData()}; nothing by default.
     *
     * @throws UncheckedIOException when a file could not be deleted
     */
    default void deleteLocalData(String clientId) {
    }
}
