package io.metafed.coordinator;

import io.metafed.coordinator.aggregate.Aggregate;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.PrivacyProvenance;
import io.metafed.coordinator.model.CheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.model.Provenance;
import io.metafed.coordinator.round.CheckedUpdate;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.Round;
import io.metafed.coordinator.round.RoundState;
import io.metafed.coordinator.round.RoundStateException;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.model.Checks;
import io.metafed.model.nn.ParamLayout;
import io.metafed.security.dp.PrivacyLedger;
import io.metafed.security.dp.PrivacyLoss;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport-agnostic coordinator: holds the global meta-initialization θ and runs one round at a time.
 * Clients {@link #checkIn}; {@link #openRound} samples participants; each submits Δ = φ − θ; {@link #closeRound}
 * aggregates, saves the new version and the server optimizer state after it to the {@link CheckpointStore} and
 * only then adopts both.
 *
 * <p>Locking: one monitor ({@code lock}) guards the check-in pool, the current round, the round counter and the
 * optimizer state, so every check of an update and its accumulation are atomic with respect to closing the
 * round. {@link #submit} checks an update's content (O(model size): finiteness and norm) before taking the lock,
 * so under it an update costs the round's bookkeeping plus, for rules that sum as updates arrive, one pass adding
 * Δ; a transport should still call {@link #submit} off its I/O threads.
 * {@link #closeRound} holds the lock across aggregation and the checkpoint save so no update or new round can
 * interleave with adopting a model. {@code current} is volatile and immutable, so {@link #currentModel} is
 * lock-free.
 */
public final class Coordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final ParamLayout layout;
    private final CoordinatorConfig config;
    private final CheckpointStore store;
    private final Clock clock;
    private final Object lock = new Object();
    private final SortedSet<String> available = new TreeSet<>(); // guarded by lock
    private Round round;                                          // guarded by lock; latest round, maybe terminal
    private int nextRoundId;                                      // guarded by lock
    private OptimizerState optimizerState;                        // guarded by lock
    private volatile ModelVersion current;                        // written under lock
    private final PrivacyLedger ledger;                           // null without DP; used under lock
    private double samplingRate;                                  // guarded by lock; q of the latest round

    public Coordinator(ParamLayout layout, float[] initialParams, CoordinatorConfig config, CheckpointStore store,
            Clock clock) {
        this(layout, new ModelVersion(0, -1, Objects.requireNonNull(initialParams, "initialParams"),
                Provenance.initial(config.describe(), layout.id(), clock)), 0, config, store, clock,
                config.rule().initialState(layout.size()));
    }

    private Coordinator(ParamLayout layout, ModelVersion start, int nextRoundId, CoordinatorConfig config,
            CheckpointStore store, Clock clock, OptimizerState optimizerState) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        // A round no device could run would only fail on every device, one refusal at a time.
        config.client().algorithm().requireFits(layout);
        start.vector().requireSize(layout.size(), "params of model version " + start.version());
        Checks.nonNegative(nextRoundId, "nextRoundId");
        this.current = start;
        this.nextRoundId = nextRoundId;
        this.optimizerState = Objects.requireNonNull(optimizerState, "optimizerState");
        this.ledger = PrivacyProvenance.ledgerFor(config.rule(), start.round(), start.provenance().hyperparameters())
                .orElse(null);
    }

    /**
     * A coordinator that continues from the newest version in {@code store} (after a restart or crash), or from
     * {@code initialParams} when the store is empty. Round ids continue after the round that produced that
     * version and after {@code minNextRoundId} (ids handed out before the restart are never reused). The server
     * optimizer (momentum, Adam moments and step count) continues from the state stored with that version, so the
     * next round steps exactly as it would have without the restart. If that state is missing, unreadable or
     * was made by another optimizer configuration, a warning says why and the optimizer starts from its initial
     * state: that never stops the coordinator from starting, and θ is the checkpointed one either way.
     */
    public static Coordinator resume(ParamLayout layout, float[] initialParams, CoordinatorConfig config,
            CheckpointStore store, Clock clock, int minNextRoundId) throws java.io.IOException {
        Optional<ModelVersion> latest = store.latest();
        if (latest.isEmpty()) {
            Coordinator fresh = new Coordinator(layout, initialParams, config, store, clock);
            synchronized (fresh.lock) {
                fresh.nextRoundId = Math.max(0, minNextRoundId);
            }
            return fresh;
        }
        ModelVersion start = latest.get();
        if (start.provenance().layoutId() != layout.id()) {
            throw new IllegalStateException("checkpoint version " + start.version() + " has layout 0x"
                    + Long.toHexString(start.provenance().layoutId()) + ", expected 0x" + Long.toHexString(layout.id()));
        }
        LOG.info("Resuming from checkpointed model version {} (round {})", start.version(), start.round());
        ResumedOptimizerState optimizer = ResumedOptimizerState.load(store, start, config.rule(), layout.size());
        if (optimizer.resetReason().isPresent()) {
            LOG.warn("Server optimizer restarts from its initial state: {}", optimizer.resetReason().get());
        } else if (optimizer.state().size() > 0) {
            LOG.info("Server optimizer continues from the {} state stored with model version {}",
                    optimizer.state().kind(), start.version());
        }
        return new Coordinator(layout, start, Math.max(start.round() + 1, Math.max(0, minNextRoundId)), config,
                store, clock, optimizer.state());
    }

    /** The id the next opened round will get; persisted by servers so ids survive restarts. */
    public int nextRoundId() {
        synchronized (lock) {
            return nextRoundId;
        }
    }

    /** Adds a client to the pool that future rounds sample from; it stays until {@link #checkOut}. */
    public void checkIn(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        synchronized (lock) {
            available.add(clientId);
        }
    }

    public void checkOut(String clientId) {
        synchronized (lock) {
            available.remove(clientId);
        }
    }

    /**
     * Opens the next round on the current model and selects its participants from the checked-in pool.
     *
     * @throws RoundStateException if the previous round is still collecting
     * @throws io.metafed.coordinator.round.NotEnoughClientsException if fewer than minUpdates clients are
     *     checked in; no round is opened and no round id is used
     * @throws IllegalStateException with differential privacy under policy STOP, if this round's release would
     *     take ε past the target; no round is opened now or later
     */
    public RoundTask openRound() {
        synchronized (lock) {
            if (round != null && !round.state().isTerminal()) {
                throw new RoundStateException("round " + round.id() + " is " + round.state() + ", expected it"
                        + " finalized before opening round " + nextRoundId);
            }
            if (ledger != null) {
                // q = selected / checked-in: each checked-in user's chance to be in this round's release.
                samplingRate = available.isEmpty() ? 1.0
                        : Math.min(1.0, (double) config.rounds().selectionSize() / available.size());
                try {
                    ledger.checkCanSpend(samplingRate);
                } catch (IllegalStateException e) {
                    LOG.warn("Round {} not opened: {}", nextRoundId, e.getMessage());
                    throw new IllegalStateException("round " + nextRoundId + " not opened: " + e.getMessage(), e);
                }
            }
            ModelVersion base = current;
            Round next = new Round(nextRoundId, base, config.rounds(), config.rule(), config.bounds(), config.sampler());
            next.checkInAll(available);
            List<String> selected = next.select();
            round = next;
            nextRoundId++;
            LOG.info("Round {} opened on model version {}: selected {} of {} checked-in clients", next.id(),
                    base.version(), selected.size(), available.size());
            return new RoundTask(next.id(), base.version(), layout.id(), selected, config.client());
        }
    }

    /**
     * Counts {@code update} in the current round.
     *
     * @throws CoordinatorException (a specific subtype) if the update is refused; a refused update changes nothing
     */
    public void submit(ClientUpdate update) {
        Objects.requireNonNull(update, "update");
        // Reads all of Δ (finiteness, norm) before the lock, so concurrent submitters do it in parallel; the
        // round replays the outcome where it checks content, so refusals and their order are unchanged.
        submit(check(update));
    }

    /**
     * The content checks of {@code update} against this coordinator's layout, without the lock and without
     * counting it: a caller that submits updates one at a time in a fixed order (the in-process simulator) runs
     * them on the threads that produced the updates, then hands each to {@link #submit(CheckedUpdate)}.
     */
    public CheckedUpdate check(ClientUpdate update) {
        return CheckedUpdate.of(update, layout.id(), layout.size());
    }

    /**
     * As {@link #submit(ClientUpdate)} with the content checks already run by {@link #check}; the result is the
     * same as submitting {@code checked.update()}: checks of another layout are run again.
     *
     * @throws CoordinatorException (a specific subtype) if the update is refused; a refused update changes nothing
     */
    public void submit(CheckedUpdate checked) {
        Objects.requireNonNull(checked, "checked");
        ClientUpdate update = checked.update();
        synchronized (lock) {
            if (round == null) {
                throw new RoundStateException("no round has been opened; update from client " + update.clientId()
                        + " for round " + update.roundId() + " refused");
            }
            round.submit(update, checked); // a refusal is logged (rate-limited) where it reaches the client
        }
    }

    /**
     * Counts the decoded result of a secure-aggregation round as the current round's only contribution, in place
     * of the participants' individual updates; it counts as {@code participants.size()} updates for minUpdates.
     *
     * @throws CoordinatorException (a specific subtype) if refused, e.g. when individual updates were already
     *     accepted; a refused aggregate changes nothing
     * @throws IllegalStateException if the aggregation rule cannot take it (a DP round would exceed its count)
     * @throws IllegalArgumentException if a differentially private rule finds the sum inconsistent with clients
     *     that clipped to C and sent weight 1
     */
    public void submitSecureAggregate(SecureAggregate aggregate) {
        Objects.requireNonNull(aggregate, "aggregate");
        synchronized (lock) {
            if (round == null) {
                throw new RoundStateException("no round has been opened; secure aggregate for round "
                        + aggregate.roundId() + " refused");
            }
            try {
                round.submitSecureAggregate(aggregate);
            } catch (IllegalStateException e) {
                LOG.debug("Round {} refused a secure aggregate: {}", round.id(), e.getMessage());
                throw e;
            }
            LOG.debug("Round {} accepted a secure aggregate of {} clients", round.id(),
                    aggregate.participants().size());
        }
    }

    /**
     * Finalizes the current round: with at least minUpdates updates and a finite aggregate that the store
     * accepted, the aggregate becomes the current model; otherwise the round fails and θ, its version and the
     * optimizer state stay as they were.
     *
     * @throws RoundStateException if no round was opened or the latest round is already finalized
     */
    public RoundResult closeRound() {
        synchronized (lock) {
            if (round == null) {
                throw new RoundStateException("no round has been opened, so none can be closed");
            }
            if (round.state() != RoundState.COLLECTING) {
                throw new RoundStateException("round " + round.id() + " is " + round.state()
                        + ", expected COLLECTING: a round is finalized once");
            }
            return finish(round);
        }
    }

    /** The current global model (never a partially aggregated one). */
    public ModelVersion currentModel() {
        return current;
    }

    /** The latest round's status, if any round was opened. */
    public Optional<RoundStatus> roundStatus() {
        synchronized (lock) {
            return round == null ? Optional.empty() : Optional.of(round.status());
        }
    }

    /** (ε, δ) spent so far by a differentially private federation (ε = 0 before any round); empty without DP. */
    public Optional<PrivacyLoss> privacySpent() {
        synchronized (lock) {
            return ledger == null ? Optional.empty() : Optional.of(ledger.spent());
        }
    }

    public ParamLayout layout() {
        return layout;
    }

    public CoordinatorConfig config() {
        return config;
    }

    private RoundResult finish(Round r) {
        int min = config.rounds().minUpdates();
        if (r.accepted() < min) {
            return fail(r, "received " + r.accepted() + " updates, expected at least minUpdates=" + min, null);
        }
        Aggregate aggregate;
        try {
            aggregate = r.aggregate(optimizerState);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(r, "aggregate rejected: " + e.getMessage(), null);
        }
        logBounds(r);
        ModelVersion base = current;
        Map<String, String> hyperparameters = config.describeRound(aggregate.epsilon());
        if (ledger != null) {
            PrivacyProvenance.record(hyperparameters, ledger.releases() + 1, ledger.rdpAfter(samplingRate),
                    ledger.projected(samplingRate));
        }
        Provenance provenance = Provenance.ofRound(r.id(), r.accepted(), r.acceptedWeight(), hyperparameters,
                layout.id(), clock);
        ModelVersion next = new ModelVersion(base.version() + 1, r.id(), aggregate.vector(), provenance);
        try {
            store.save(next, aggregate.state());
        } catch (IOException | RuntimeException e) {
            return fail(r, "checkpoint save of version " + next.version() + " failed: " + e, e);
        }
        current = next;
        optimizerState = aggregate.state();
        r.markAggregated();
        LOG.info("Round {} aggregated {} updates (total weight {}, epsilon {}) into model version {}", r.id(),
                r.accepted(), r.acceptedWeight(), aggregate.epsilon(), next.version());
        if (ledger != null) {
            PrivacyLoss spent = ledger.spend(samplingRate); // cannot be refused: openRound checked the same q
            LOG.info("Round {} privacy: sampling rate {}, ({}, {})-DP spent after {} releases", r.id(), samplingRate,
                    spent.epsilon(), spent.delta(), ledger.releases());
            if (ledger.state() == PrivacyLedger.State.OVER_BUDGET) {
                LOG.warn("Privacy budget exceeded: epsilon {} > target {} (policy WARN, rounds continue)",
                        spent.epsilon(), ledger.budget().targetEpsilon());
            }
        }
        return new RoundResult.Aggregated(r.id(), next, aggregate.epsilon());
    }

    /** Names the clients whose updates the contribution bounds changed: the operator's view of a poisoning try. */
    private static void logBounds(Round r) {
        List<String> clipped = r.clippedClients();
        List<String> refused = r.refusedClients();
        if (!clipped.isEmpty()) {
            LOG.warn("Round {}: {} of {} updates were over the L2 bound {} and were clipped to it (clients {})", r.id(),
                    clipped.size(), r.accepted(), r.normBound(), clipped);
        }
        if (!refused.isEmpty()) {
            LOG.warn("Round {}: {} of {} updates were over the L2 bound {} and were left out (clients {})", r.id(),
                    refused.size(), r.accepted(), r.normBound(), refused);
        }
    }

    private RoundResult fail(Round r, String reason, Exception cause) {
        r.fail(reason);
        LOG.warn("Round {} failed, model stays at version {}: {}", r.id(), current.version(), reason, cause);
        return new RoundResult.Failed(r.id(), reason, r.accepted(), current.version());
    }
}
