package io.metafed.sdk.transport;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's part in federated rounds over any {@link CoordinatorTransport}: {@link #participate()} asks for
 * a task and, when there is one, downloads the global model, adapts it to the device's ratings with the task's
 * hyperparameters and submits Δ (through the {@link SecureAggregationRound} stages when the task says the
 * round is securely aggregated). Apps call it periodically (e.g. when idle and charging) after {@link #enroll()}.
 * Failures surface as {@link TransportException}; the device simply tries again in a later round.
 */
public final class FederatedParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedParticipant.class);

    private final String clientId;
    private final MetafedClient client;
    private final ParamLayout layout;
    private final CoordinatorTransport transport;
    private final long seed;
    private final SecureRandom random = new SecureRandom(); // secure-aggregation keys, seeds and shares

    /**
     * @param layout the layout {@code client} was built with
     * @param seed   mixed with each round id into the minibatch seed, so rounds differ but runs repeat
     */
    public FederatedParticipant(String clientId, MetafedClient client, ParamLayout layout,
            CoordinatorTransport transport, long seed) {
        this.clientId = ClientIds.require(clientId);
        this.client = Objects.requireNonNull(client, "client");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.seed = seed;
    }

    public String clientId() {
        return clientId;
    }

    public void enroll() {
        transport.enroll(clientId);
    }

    /**
     * Does this device's share of the open round, if it has one.
     *
     * @throws TransportException {@code REFUSED} with code {@code layout_mismatch} when the task or model is of
     *                            another layout, {@code stale_model} when the model moved on since the task was
     *                            issued, and whatever the transport reports
     */
    public RoundOutcome participate() {
        if (client.ratingCount() == 0) {
            return RoundOutcome.nothing(RoundOutcome.Kind.NO_RATINGS);
        }
        return prepare().map(this::send).orElseGet(() -> RoundOutcome.nothing(RoundOutcome.Kind.NO_TASK));
    }

    /** A task and the update adapted for it, ready to {@link #send}. */
    public record Contribution(TaskResponse task, LocalUpdate update) {
    }

    /**
     * The first half of {@link #participate()}: the task, if any, and the update adapted on the device. A secure
     * round's {@link #send} waits on other devices, so callers running many devices on few threads (the
     * simulator) may adapt on one thread and send on another.
     */
    public Optional<Contribution> prepare() {
        if (client.ratingCount() == 0) {
            return Optional.empty();
        }
        TaskResponse task = transport.task(clientId).orElse(null);
        if (task == null) {
            return Optional.empty();
        }
        AdaptationConfig config = configOf(task);
        GlobalModel model = transport.downloadModel(layout);
        if (model.version() != task.modelVersion()) {
            // Adapting anyway would only earn a stale_model refusal after the work is done.
            throw TransportException.refused(0, "stale_model", "round " + task.roundId() + " is for model v"
                    + task.modelVersion() + " but the coordinator serves v" + model.version());
        }
        return Optional.of(new Contribution(task, client.adapt(model, config)));
    }

    /** The second half of {@link #participate()}: the update uploaded, or securely aggregated when the task says. */
    public RoundOutcome send(Contribution contribution) {
        TaskResponse task = contribution.task();
        LocalUpdate update = contribution.update();
        if (task.secure()) {
            submitSecurely(task, update);
        } else {
            transport.submit(clientId, task, update, layout);
        }
        LOG.debug("Client {} submitted round {} on model v{}: {} examples, loss {} -> {}", clientId, task.roundId(),
                update.modelVersion(), update.exampleCount(), update.lossBefore(), update.lossAfter());
        return new RoundOutcome(RoundOutcome.Kind.SUBMITTED, task.roundId(), update.modelVersion(),
                update.exampleCount(), update.lossBefore(), update.lossAfter());
    }

    /** The secure-aggregation stages instead of one upload: the coordinator learns only the round's sum. */
    private void submitSecurely(TaskResponse task, LocalUpdate update) {
        if (!(transport instanceof SecureAggregationChannel channel)) {
            throw TransportException.refused(0, "secagg_unsupported", "round " + task.roundId() + " is securely"
                    + " aggregated but this transport (" + transport.getClass().getSimpleName() + ") has no"
                    + " secure-aggregation channel");
        }
        TaskChecks.requireUpdateFor(task, update, layout);
        new SecureAggregationRound(channel, clientId, task, random).run(update.delta(), update.exampleCount());
    }

    private AdaptationConfig configOf(TaskResponse task) {
        try {
            TaskChecks.requireLayout(task, layout);
        } catch (IllegalArgumentException e) {
            throw TransportException.refused(0, TaskChecks.LAYOUT_MISMATCH,
                    "round " + task.roundId() + " cannot be done on this device: " + e.getMessage());
        }
        try {
            return new AdaptationConfig(task.innerSteps(), (float) task.innerLr(), task.batchSize(),
                    mix(seed, task.roundId()));
        } catch (IllegalArgumentException e) {
            throw TransportException.badResponse(0, "round " + task.roundId() + " has invalid hyperparameters: "
                    + e.getMessage(), e);
        }
    }

    /** SplitMix64's finalizer: nearby (seed, round) pairs give unrelated seeds. */
    static long mix(long seed, int roundId) {
        long z = seed + 0x9E3779B97F4A7C15L * (roundId + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
