package io.metafed.simulation.federation;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundResult;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.CheckedUpdate;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives rounds between a real {@link Coordinator} and the virtual clients of a {@link ClientExecution} (in
 * process, or on a cluster): the coordinator samples clients and publishes θ, each selected client adapts it with
 * the SDK and returns Δ = φ − θ, the coordinator aggregates. With {@link SecureRounds} the clients encode their Δ
 * themselves and the coordinator receives only the securely aggregated sum, never a single client's Δ. An
 * execution that {@link ClientExecution#sumsUpdates sums updates} where its clients run hands the coordinator
 * Σ wᵢΔᵢ through the same pre-summed path; sampling, validation, the rule and checkpoints stay the coordinator's.
 */
public final class FederatedTraining {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedTraining.class);
    /** Called after each round with the round number (1-based) and the new global model. */
    @FunctionalInterface
    public interface RoundListener {
        void afterRound(int round, ModelVersion model, List<LocalUpdate> updates);
    }

    private final Coordinator coordinator;
    private final ClientExecution pool;
    private final long seed;
    private final SecureRounds secure; // null: clients submit individual updates
    private final Optional<RoundDeadline> deadline;
    private PipelineStats stats = PipelineStats.NONE;

    public FederatedTraining(Coordinator coordinator, ClientExecution pool, long seed) {
        this(coordinator, pool, seed, Optional.empty());
    }

    /**
     * Each round's clients run what its task says ({@link RoundTask#training()}: algorithm, steps or FedAvg's
     * epochs, learning rates), as a device does with a coordinator's task.
     */
    public FederatedTraining(Coordinator coordinator, ClientExecution pool, long seed, Optional<SecureRounds> secure) {
        this(coordinator, pool, seed, secure, Optional.empty());
    }

    /**
     * With a {@link RoundDeadline}, each round takes the updates that arrive by its deadline in virtual time, at most
     * the coordinator's clientsPerRound, earliest first, and submits them in arrival order; the coordinator's
     * over-selection supplies spares. The others are stragglers whose updates are discarded, so they are never
     * computed. Without one, every selected client reports at once: the first clientsPerRound in selection order
     * (all of them without over-selection, as before deadlines existed: the same θ).
     */
    public FederatedTraining(Coordinator coordinator, ClientExecution pool, long seed, Optional<SecureRounds> secure,
                             Optional<RoundDeadline> deadline) {
        if (secure.isPresent() && pool.sumsUpdates()) {
            // The engine would sum plain Δs where the clients run: the protocol needs each client's own encoding.
            throw new IllegalArgumentException("secure aggregation needs each client's encoded update; this engine "
                    + "sums updates where the clients run: use the in-process engine for secure aggregation");
        }
        this.coordinator = coordinator;
        this.pool = pool;
        this.seed = seed;
        this.secure = secure.orElse(null);
        this.deadline = java.util.Objects.requireNonNull(deadline, "deadline");
        for (int user : pool.users()) {
            coordinator.checkIn(clientId(user));
        }
    }

    static String clientId(int user) {
        return "user-" + user;
    }

    /**
     * Runs {@code rounds} rounds. A client whose adaptation fails (e.g. diverges) drops out of its round, as a
     * device would, and the next in-time spare of an over-selected round takes its place; a round left with fewer
     * than the coordinator's minimum updates (e.g. too many stragglers) fails and θ stays as it was.
     *
     * If the coordinator's privacy budget (policy STOP) refuses a round, training stops there and the remaining
     * rounds report the unchanged model, so evaluation still sees every scheduled round.
     *
     * @return the number of failed rounds
     */
    public int run(int rounds, RoundListener listener) {
        return run(1, rounds, listener);
    }

    /**
     * Runs rounds {@code first} to {@code rounds} (1-based, as the listener numbers them): the rest of a run whose
     * coordinator resumed from a checkpoint after {@code first - 1} rounds. Sampling and every client's seed
     * derive from the round id, so the resumed rounds are those the uninterrupted run would have had.
     *
     * @return the number of failed rounds
     */
    public int run(int first, int rounds, RoundListener listener) {
        if (first < 1) {
            throw new IllegalArgumentException("first round must be >= 1, found " + first);
        }
        int failedRounds = 0;
        for (int r = first; r <= rounds; r++) {
            RoundTask task;
            try {
                task = coordinator.openRound();
            } catch (IllegalStateException e) {
                if (e instanceof CoordinatorException || coordinator.privacySpent().isEmpty()) {
                    throw e;
                }
                LOG.warn("Training stopped before round {} of {}: {}", r, rounds, e.getMessage());
                for (; r <= rounds; r++) {
                    listener.afterRound(r, coordinator.currentModel(), List.of());
                }
                return failedRounds;
            }
            ModelVersion base = coordinator.currentModel();
            // One θ for the whole round: the clients read the coordinator's vector, none copies it to receive it.
            GlobalModel global = GlobalModel.of(base.version(), coordinator.layout(), base.vector());
            LocalTraining training = task.training();
            List<Integer> users = new ArrayList<>();
            for (String id : task.selectedClients()) {
                users.add(Integer.parseInt(id.substring("user-".length())));
            }
            int roundId = task.roundId();
            ClientRound round = new ClientRound(roundId, global, training, seed);
            Arrivals arrivals = Arrivals.of(users, deadline, seed, roundId);
            Taken taken = new Taken(arrivals, coordinator.config().rounds().clientsPerRound());
            List<LocalUpdate> updates;
            int used;
            if (pool.sumsUpdates()) {
                UpdateSum sum = new UpdateSum(global.vector().size());
                taken.drain(batch -> {
                    UpdateSum part = pool.adaptAndSum(batch, round);
                    sum.merge(part);
                    return part.count();
                });
                updates = submitSum(task, sum);
                used = sum.count();
            } else {
                // A RoundJob, so a worker with a batched runtime may adapt its clients together.
                BiFunction<Integer, MetafedClient, Optional<Contribution>> job = RoundJob.of(round, (user, update) ->
                        update.flatMap(u -> contribution(task, user, u)));
                if (secure == null) {
                    // Each update is submitted as soon as it and those before it are done (arrival order, which
                    // without a deadline is the selection's, so θ is the same), while the workers adapt the next.
                    List<LocalUpdate> submitted = new ArrayList<>();
                    taken.drain(batch -> {
                        int before = submitted.size();
                        pool.forEachInOrder(batch, job, result -> result.ifPresent(c -> submit(c, submitted)));
                        return submitted.size() - before;
                    });
                    updates = submitted;
                    used = updates.size();
                } else {
                    List<Contribution> present = new ArrayList<>();
                    taken.drain(batch -> {
                        List<Contribution> got = pool.map(batch, job).stream().flatMap(Optional::stream).toList();
                        present.addAll(got);
                        return got.size();
                    });
                    updates = submitSecurely(task, present);
                    used = updates.size();
                }
            }
            boolean roundFailed = false;
            if (coordinator.closeRound() instanceof RoundResult.Failed failed) {
                LOG.warn("Round {} failed: {}", failed.roundId(), failed.reason());
                failedRounds++;
                roundFailed = true;
            }
            stats = stats.plus(roundFailed, users.size(), arrivals.inTime().size(), arrivals.late().size(),
                    arrivals.inTime().size() - taken.position, taken.position, used, taken.position - used,
                    deadline.isPresent() ? taken.closesAt() : 0);
            if (!arrivals.late().isEmpty()) {
                LOG.debug("Round {}: {} of {} selected clients missed the deadline: {}", roundId,
                        arrivals.late().size(), users.size(), arrivals.late());
            }
            listener.afterRound(r, coordinator.currentModel(), updates);
        }
        return failedRounds;
    }

    /**
     * What this instance's rounds did with their selected devices so far: how many arrived in time, were discarded
     * as stragglers or surplus, adapted, used; failed rounds; virtual round time.
     */
    public PipelineStats stats() {
        return stats;
    }

    /**
     * Hands out a round's in-time devices in arrival order, as many at a time as places are left: first the
     * clientsPerRound earliest, then, for each that dropped out, the next arrival — as a coordinator keeps taking
     * updates until it has enough. No device is adapted whose update the round would discard.
     */
    private static final class Taken {
        private final Arrivals arrivals;
        private final int wanted;
        private int position;
        private int succeeded;

        Taken(Arrivals arrivals, int wanted) {
            this.arrivals = arrivals;
            this.wanted = wanted;
        }

        /**
         * Hands {@code adapt} batch after batch of in-time devices, earliest first, until the round has its updates
         * or no in-time device is left; {@code adapt} returns how many of its batch produced an update, and the
         * next batch replaces those that did not.
         */
        void drain(java.util.function.ToIntFunction<List<Integer>> adapt) {
            for (List<Integer> batch = next(); !batch.isEmpty(); batch = next()) {
                succeeded += adapt.applyAsInt(batch);
            }
        }

        /** The next devices to adapt; empty when the round is full or no in-time device is left. */
        private List<Integer> next() {
            List<Integer> inTime = arrivals.inTime();
            int need = wanted - succeeded;
            if (need <= 0 || position >= inTime.size()) {
                return List.of();
            }
            List<Integer> batch = inTime.subList(position, Math.min(inTime.size(), position + need));
            position += batch.size();
            return batch;
        }

        /** Virtual time the round closes at. */
        double closesAt() {
            return arrivals.closesAt(succeeded, position - 1, wanted);
        }
    }

    /**
     * Encoding runs here, on the client's worker: under secure aggregation Δ never leaves it raw. A client whose
     * update cannot be encoded drops out like one whose adaptation failed. Without secure aggregation the
     * coordinator's content checks of the update (finiteness and norm: a pass over all of Δ) run here too, on the
     * workers in parallel, rather than one update after another on the driver while the workers wait for the
     * next round; the driver still submits in the selection's order, so θ is the same.
     */
    private Optional<Contribution> contribution(RoundTask task, int user, LocalUpdate u) {
        try {
            if (secure != null) {
                return Optional.of(new Contribution(clientId(user), u, secure.encode(u.deltaVector(),
                        u.exampleCount()), null));
            }
            ClientUpdate update = new ClientUpdate(clientId(user), task.roundId(), u.modelVersion(), task.layoutId(),
                    u.deltaVector(), u.exampleCount());
            return Optional.of(new Contribution(clientId(user), u, null, coordinator.check(update)));
        } catch (IllegalStateException e) {
            LOG.warn("Client {} dropped out of round {}: {}", user, task.roundId(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A client's result: its update and, under secure aggregation, its fixed-point encoding, or else its update as
     * submitted with the coordinator's content checks already run.
     */
    private record Contribution(String clientId, LocalUpdate update, int[] encoded, CheckedUpdate checked) {
    }

    private void submit(Contribution c, List<LocalUpdate> submitted) {
        // Δ is immutable: the coordinator counts the very vector the client computed.
        coordinator.submit(c.checked());
        submitted.add(c.update());
    }

    /**
     * Submits a sum computed where the clients ran as the round's one pre-summed contribution. The coordinator
     * checks it like a secure aggregate (round, version, layout, finiteness, every contributor selected) and the
     * rule accumulates it as it would the individual updates. No individual update reaches this driver, so none
     * is returned.
     */
    private List<LocalUpdate> submitSum(RoundTask task, UpdateSum sum) {
        if (!sum.droppedUsers().isEmpty()) {
            LOG.warn("Round {}: {} clients dropped out: {}", task.roundId(), sum.droppedUsers().size(),
                    sum.droppedUsers());
        }
        if (sum.count() == 0) {
            return List.of(); // closeRound fails the round for want of minUpdates
        }
        coordinator.submitSecureAggregate(new SecureAggregate(task.roundId(), task.modelVersion(), task.layoutId(),
                sum.weightedDelta(), sum.totalWeight(), sum.contributors().stream().map(FederatedTraining::clientId)
                .toList()));
        return List.of();
    }

    /** Runs the protocol over the encodings; returns the updates of the clients the sum includes. */
    private List<LocalUpdate> submitSecurely(RoundTask task, List<Contribution> present) {
        List<String> ids = present.stream().map(Contribution::clientId).toList();
        List<int[]> encoded = present.stream().map(Contribution::encoded).toList();
        Optional<SecureRounds.Outcome> outcome = secure.aggregate(task, ids, encoded);
        if (outcome.isEmpty()) {
            return List.of();
        }
        coordinator.submitSecureAggregate(outcome.get().aggregate());
        return outcome.get().included().stream().map(i -> present.get(i).update()).toList();
    }
}
