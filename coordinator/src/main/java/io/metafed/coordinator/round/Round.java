package io.metafed.coordinator.round;

import io.metafed.coordinator.aggregate.Aggregate;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.WeightedSum;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.model.nn.ParamVector;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One round's state machine (see {@link RoundState}) and its running weighted sum. Accepted updates are folded
 * into the sum immediately and not retained, so memory is one vector whatever the number of participants.
 *
 * <p>Not thread-safe: the {@code Coordinator} calls it only under its lock.
 */
public final class Round {
    private final int id;
    private final ModelVersion base;
    private final RoundConfig config;
    private final AggregationRule rule;
    private final BoundedUpdates bounded;
    private final ParticipantSampler sampler;
    private final SortedSet<String> candidates = new TreeSet<>();
    private final Set<String> contributors = new HashSet<>();
    private RoundState state = RoundState.OPEN;
    private List<String> selected = List.of();
    private Set<String> selectedSet = Set.of();
    private ParamVector theta; // base params (shared with the model version), read by FedAvg; released when terminal
    private WeightedSum sum; // released when terminal
    private double acceptedWeight;
    private boolean secure;  // a secure aggregate was accepted: the round takes nothing else
    private String failureReason;

    /** A round without contribution bounds, sampled from {@code config.seed()}: simulations and tests only. */
    public Round(int id, ModelVersion base, RoundConfig config, AggregationRule rule) {
        this(id, base, config, rule, ContributionBounds.unbounded(), ParticipantSampler.seeded(config.seed()));
    }

    public Round(int id, ModelVersion base, RoundConfig config, AggregationRule rule, ContributionBounds bounds,
            ParticipantSampler sampler) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0, found " + id);
        }
        this.id = id;
        this.base = Objects.requireNonNull(base, "base");
        this.config = Objects.requireNonNull(config, "config");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.bounded = new BoundedUpdates(bounds, id);
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.theta = base.vector();
        this.sum = new WeightedSum(base.size());
    }

    /** Makes {@code clientId} a candidate for selection (OPEN only); checking in twice is harmless. */
    public void checkIn(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        requireState(RoundState.OPEN, "check in client " + clientId);
        candidates.add(clientId);
    }

    /**
     * {@link #checkIn} of every one of {@code clientIds} (OPEN only), in one pass when they come sorted as a
     * coordinator keeps its pool: {@code TreeSet.addAll} of a sorted set into an empty one builds the tree in linear
     * time instead of inserting each id with its string comparisons, once per round.
     */
    public void checkInAll(java.util.SortedSet<String> clientIds) {
        Objects.requireNonNull(clientIds, "clientIds");
        requireState(RoundState.OPEN, "check in " + clientIds.size() + " clients");
        candidates.addAll(clientIds); // a sorted set of Strings holds no null
    }

    /**
     * Samples the participants and starts collecting (OPEN → COLLECTING).
     *
     * @throws NotEnoughClientsException if fewer than minUpdates clients checked in; the round stays OPEN
     */
    public List<String> select() {
        requireState(RoundState.OPEN, "select clients");
        if (candidates.size() < config.minUpdates()) {
            throw new NotEnoughClientsException("round " + id + " needs at least minUpdates=" + config.minUpdates()
                    + " checked-in clients, found " + candidates.size());
        }
        selected = sampler.sample(candidates, config.selectionSize(), id);
        selectedSet = Set.copyOf(selected);
        move(RoundState.COLLECTING);
        return selected;
    }

    /** Validates {@code update} against this round and folds it into the sum; a refused update changes nothing. */
    public void submit(ClientUpdate update) {
        submit(update, null);
    }

    /**
     * As {@link #submit(ClientUpdate)}, with the content checks already run ({@code checked}, e.g. outside a
     * lock); null, or checks made for another update or layout, and they run here.
     */
    public void submit(ClientUpdate update, CheckedUpdate checked) {
        String client = update.clientId();
        if (update.roundId() != id) {
            throw new StaleUpdateException("update from client " + client + " is for round " + update.roundId()
                    + ", expected round " + id);
        }
        requireState(RoundState.COLLECTING, "accept an update from client " + client);
        if (update.modelVersion() != base.version()) {
            throw new StaleUpdateException("update from client " + client + " was computed on model version "
                    + update.modelVersion() + ", expected version " + base.version());
        }
        if (!selectedSet.contains(client)) {
            throw new ClientNotSelectedException("client " + client + " was not selected for round " + id
                    + " (" + selected.size() + " clients selected)");
        }
        if (secure) {
            throw new DuplicateUpdateException("round " + id + " already accepted a secure aggregate of "
                    + contributors.size() + " clients; individual update from client " + client + " refused");
        }
        if (contributors.contains(client)) {
            throw new DuplicateUpdateException("client " + client + " already contributed to round " + id
                    + "; expected one update per client, found a second");
        }
        if (contributors.size() >= config.clientsPerRound()) {
            throw new RoundFullException("round " + id + " already counted " + contributors.size() + " of "
                    + config.clientsPerRound() + " updates; update from client " + client + " refused");
        }
        CheckedUpdate content = checked != null && checked.appliesTo(update, base.layoutId(), base.size()) ? checked
                : CheckedUpdate.of(update, base.layoutId(), base.size());
        ParamVector delta = content.delta();
        BoundedUpdates.Bounded b = bounded.admit(client, delta, update.weight(), content.norm());
        if (bounded.holds()) {
            // The norm of the delta as admitted: the checked one unless a fixed bound clipped it.
            bounded.hold(client, b, b.delta() == delta ? content.norm() : b.delta().norm());
        } else {
            rule.accumulate(sum, theta, b.delta(), b.weight());
        }
        contributors.add(client);
        acceptedWeight += b.weight();
    }

    /**
     * Validates a securely aggregated sum like an update and folds it in as {@code participants.size()}
     * accepted updates. A round takes either individual updates or one secure aggregate, never both: mixing
     * would let the coordinator subtract and recover an individual Δ, or count a client twice.
     *
     * @throws IllegalStateException (not a CoordinatorException) if the rule cannot take a pre-summed update
     */
    public void submitSecureAggregate(SecureAggregate aggregate) {
        String what = "secure aggregate of " + aggregate.participants().size() + " clients";
        if (aggregate.roundId() != id) {
            throw new StaleUpdateException(what + " is for round " + aggregate.roundId() + ", expected round " + id);
        }
        requireState(RoundState.COLLECTING, "accept a " + what);
        if (aggregate.modelVersion() != base.version()) {
            throw new StaleUpdateException(what + " was computed on model version " + aggregate.modelVersion()
                    + ", expected version " + base.version());
        }
        if (secure) {
            throw new DuplicateUpdateException("round " + id + " already accepted a secure aggregate; expected one"
                    + " per round, found a second");
        }
        if (!contributors.isEmpty()) {
            throw new DuplicateUpdateException("round " + id + " already accepted " + contributors.size()
                    + " individual updates; a " + what + " must be the round's only contribution");
        }
        for (String client : aggregate.participants()) {
            if (!selectedSet.contains(client)) {
                throw new ClientNotSelectedException("participant " + client + " of the " + what
                        + " was not selected for round " + id + " (" + selected.size() + " clients selected)");
            }
        }
        int count = aggregate.participants().size();
        if (count > config.clientsPerRound()) {
            throw new RoundFullException(what + " exceeds clientsPerRound=" + config.clientsPerRound());
        }
        double[] weightedSum = UpdateChecks.content(aggregate, base.layoutId(), base.size());
        bounded.checkSecureSum(what, weightedSum, aggregate.totalWeight(), count, selected.size());
        rule.accumulateSum(sum, theta, weightedSum, aggregate.totalWeight(), count);
        contributors.addAll(aggregate.participants());
        acceptedWeight += aggregate.totalWeight();
        secure = true;
    }

    /**
     * The candidate next model, without changing state: the caller adopts it and then calls markAggregated. Held
     * updates (median bound, robust combiner) are bounded and combined here, into a fresh sum each call.
     *
     * @throws IllegalStateException if too few updates remain after refusing over-norm ones, or the sum is empty
     * @throws IllegalArgumentException if the result is not finite
     */
    public Aggregate aggregate(OptimizerState optimizerState) {
        requireState(RoundState.COLLECTING, "aggregate");
        WeightedSum s = bounded.holds() && !secure ? bounded.close(rule, theta, config.minUpdates()) : sum;
        return rule.aggregate(theta, s, id, optimizerState);
    }

    /** Clients whose update the bounds scaled down (known once {@link #aggregate} ran for held updates). */
    public List<String> clippedClients() {
        return bounded.clipped();
    }

    /** Clients whose update was over the norm bound and left out at aggregation (action REFUSE). */
    public List<String> refusedClients() {
        return bounded.refused();
    }

    /** The norm bound of the last aggregation: fixed C, k × lower median, or +∞ / NaN when none applied. */
    public double normBound() {
        return bounded.bounds().norm() instanceof ContributionBounds.NormBound.Fixed f ? f.clipNorm()
                : bounded.lastBound();
    }

    /** COLLECTING → AGGREGATED, after the caller adopted the aggregate. */
    public void markAggregated() {
        move(RoundState.AGGREGATED);
    }

    /** OPEN or COLLECTING → FAILED; the sum is discarded. */
    public void fail(String reason) {
        Objects.requireNonNull(reason, "reason");
        move(RoundState.FAILED);
        failureReason = reason;
    }

    public int id() {
        return id;
    }

    public RoundState state() {
        return state;
    }

    public long modelVersion() {
        return base.version();
    }

    public List<String> selected() {
        return selected;
    }

    public int accepted() {
        return contributors.size();
    }

    /** Σ wᵢ over accepted updates. */
    public double acceptedWeight() {
        return acceptedWeight;
    }

    public RoundStatus status() {
        return new RoundStatus(id, base.version(), state, selected.size(), contributors.size(),
                acceptedWeight, failureReason);
    }

    private void move(RoundState next) {
        if (!state.canMoveTo(next)) {
            throw new RoundStateException("round " + id + " cannot move from " + state + " to " + next
                    + (state.isTerminal() ? ": it is already finalized" : ""));
        }
        state = next;
        if (next.isTerminal()) {
            theta = null;
            sum = null;
        }
    }

    private void requireState(RoundState expected, String action) {
        if (state != expected) {
            throw new RoundStateException("cannot " + action + ": round " + id + " is " + state + ", expected "
                    + expected);
        }
    }
}
