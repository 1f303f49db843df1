package io.metafed.sdk.transport;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's part in federated rounds over any {@link CoordinatorTransport}: {@link #participate()} asks for
 * a task and, when there is one, downloads the global model, adapts it to the device's ratings with the task's
 * hyperparameters and submits Δ (through the {@link SecureAggregationRound} stages when the task says the
 * round is securely aggregated). Apps call it periodically after {@link #enroll()}, at the
 * {@link RoundOutcome#nextPoll()} of the previous call; the app's {@link EligibilityCheck} (charging, unmetered
 * network, idle) is asked before every round. Failures surface as {@link TransportException}; the device simply
 * tries again in a later round. {@link #deleteAllData()} erases everything the SDK keeps for the user.
 */
public final class FederatedParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedParticipant.class);
    /** When to ask again if the coordinator did not say: often enough to catch rounds, rarely enough for a phone. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(15);

    private final String clientId;
    private final MetafedClient client;
    private final ParamLayout layout;
    private final CoordinatorTransport transport;
    private final long seed;
    private final EligibilityCheck eligibility;
    private final Duration pollInterval;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom(); // secure-aggregation keys, seeds and shares
    private volatile SecureAggregationRound.InputTap secureInputs; // audits only; see tapSecureInputs

    /**
     * @param layout the layout {@code client} was built with
     * @param seed   mixed with each round id into the minibatch seed, so rounds differ but runs repeat
     */
    public FederatedParticipant(String clientId, MetafedClient client, ParamLayout layout,
            CoordinatorTransport transport, long seed) {
        this(clientId, client, layout, transport, seed, EligibilityCheck.always(), DEFAULT_POLL_INTERVAL,
                Clock.systemUTC());
    }

    /**
     * @param eligibility  asked before every round; a round is skipped while it names a reason
     * @param pollInterval the wait to suggest when the coordinator named none
     * @param clock        for {@link RoundOutcome#nextPoll()}
     */
    public FederatedParticipant(String clientId, MetafedClient client, ParamLayout layout,
            CoordinatorTransport transport, long seed, EligibilityCheck eligibility, Duration pollInterval,
            Clock clock) {
        this.clientId = ClientIds.require(clientId);
        this.client = Objects.requireNonNull(client, "client");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.seed = seed;
        this.eligibility = Objects.requireNonNull(eligibility, "eligibility");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, found " + pollInterval);
        }
        this.pollInterval = pollInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String clientId() {
        return clientId;
    }

    /** Package-private audit hook: {@code tap} sees every secure-aggregation input this device hands over. */
    void tapSecureInputs(SecureAggregationRound.InputTap tap) {
        this.secureInputs = tap;
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
        Instant later = clock.instant().plus(pollInterval);
        if (client.ratingCount() == 0) {
            return RoundOutcome.nothing(RoundOutcome.Kind.NO_RATINGS, Optional.empty(), later);
        }
        Optional<String> ineligible = eligibility.ineligibleBecause();
        if (ineligible.isPresent()) {
            LOG.debug("Client {} skips this round: {}", clientId, ineligible.get());
            return RoundOutcome.nothing(RoundOutcome.Kind.NOT_ELIGIBLE, Optional.empty(), later);
        }
        TaskPoll poll = transport.poll(clientId);
        if (poll.task().isEmpty()) {
            Instant next = poll.retryAfter().map(d -> clock.instant().plus(d)).orElse(later);
            return RoundOutcome.nothing(RoundOutcome.Kind.NO_TASK, poll.retryAfter(), next);
        }
        return send(adaptFor(poll.task().get()));
    }

    /**
     * Erases everything the SDK keeps for this user (right to erasure): the interaction store and the models in
     * memory ({@link MetafedClient#deleteAllData()}, which also closes the client), and what the transport keeps
     * on the device: the cached model and device keys the SDK created ({@link CoordinatorTransport#deleteLocalData}).
     * The coordinator keeps no ratings; it forgets the enrolled key only when the operator removes it.
     *
     * @throws java.io.UncheckedIOException when a file could not be deleted (the call may be repeated)
     */
    public void deleteAllData() {
        client.deleteAllData();
        transport.deleteLocalData(clientId);
        LOG.info("Deleted all local data of client {}", clientId);
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
        if (client.ratingCount() == 0 || eligibility.ineligibleBecause().isPresent()) {
            return Optional.empty();
        }
        return transport.task(clientId).map(this::adaptFor);
    }

    private Contribution adaptFor(TaskResponse task) {
        AdaptationConfig config = configOf(task);
        GlobalModel model = transport.downloadModel(layout);
        if (model.version() != task.modelVersion()) {
            // Adapting anyway would only earn a stale_model refusal after the work is done.
            throw TransportException.refused(0, "stale_model", "round " + task.roundId() + " is for model v"
                    + task.modelVersion() + " but the coordinator serves v" + model.version());
        }
        return new Contribution(task, client.adapt(model, config));
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
                update.exampleCount(), update.lossBefore(), update.lossAfter(), Optional.empty(),
                clock.instant().plus(pollInterval));
    }

    /** The secure-aggregation stages instead of one upload: the coordinator learns only the round's sum. */
    private void submitSecurely(TaskResponse task, LocalUpdate update) {
        if (!(transport instanceof SecureAggregationChannel channel)) {
            throw TransportException.refused(0, "secagg_unsupported", "round " + task.roundId() + " is securely"
                    + " aggregated but this transport (" + transport.getClass().getSimpleName() + ") has no"
                    + " secure-aggregation channel");
        }
        TaskChecks.requireUpdateFor(task, update, layout);
        new SecureAggregationRound(channel, clientId, task, random, secureInputs).run(update.delta(),
                update.exampleCount());
    }

    private AdaptationConfig configOf(TaskResponse task) {
        try {
            TaskChecks.requireLayout(task, layout);
        } catch (IllegalArgumentException e) {
            throw TransportException.refused(0, TaskChecks.LAYOUT_MISMATCH,
                    "round " + task.roundId() + " cannot be done on this device: " + e.getMessage());
        }
        if (task.algorithm() != null) {
            try {
                FederatedAlgorithm.of(task.algorithm()).requireFits(layout);
            } catch (IllegalArgumentException e) {
                // A newer coordinator's algorithm, or one this model cannot run: doing something else would
                // send an update the server aggregates by the wrong rule.
                throw TransportException.refused(0, TaskChecks.UNSUPPORTED_ALGORITHM,
                        "round " + task.roundId() + " cannot be done on this device: " + e.getMessage());
            }
        }
        try {
            return AdaptationConfig.of(task.training(layout), client.ratingCount(), mix(seed, task.roundId()));
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
