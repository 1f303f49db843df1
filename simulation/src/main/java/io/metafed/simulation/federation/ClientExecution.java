package io.metafed.simulation.federation;

import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Where a simulation's virtual clients live and run: in this JVM ({@link ClientPool}) or on a cluster (the
 * {@code simulation-spark} module). {@link FederatedTraining} needs only these operations, so the coordinator side
 * (sampling, validation, the aggregation rule, checkpoints) is the same whichever engine adapts the clients.
 */
public interface ClientExecution extends AutoCloseable {

    /** Every virtual client's user id, in a fixed order (the order clients check in with the coordinator). */
    List<Integer> users();

    /**
     * The most ratings any device holds: a bound on every client's example count, which secure aggregation
     * needs up front to size its fixed-point range.
     */
    int maxRatingCount();

    /**
     * Applies {@code job} to the clients of {@code users} and returns the results in the order of {@code users}
     * (so aggregation order, and with it the result, does not depend on thread timing).
     *
     * @throws IllegalArgumentException naming the user when one of {@code users} has no virtual client
     */
    <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job);

    /**
     * Applies {@code job} to the clients of {@code users} and hands the results to {@code consumer} in the order
     * of {@code users}, on the caller's thread; an execution may start consuming before every client is done.
     * This default runs {@link #map} first.
     *
     * @throws IllegalArgumentException naming the user when one of {@code users} has no virtual client
     */
    default <R> void forEachInOrder(List<Integer> users, BiFunction<Integer, MetafedClient, R> job,
                                    Consumer<? super R> consumer) {
        map(users, job).forEach(consumer);
    }

    /**
     * Whether {@link FederatedTraining} should ask this execution for each round's sum rather than each client's
     * update: true where moving every Δ to the driver would cost more than the round (a cluster). The coordinator
     * then receives Σ wᵢΔᵢ through {@code submitSecureAggregate}, the same pre-summed path secure aggregation
     * takes, and its rule folds it in exactly as it would the individual updates.
     */
    default boolean sumsUpdates() {
        return false;
    }

    /**
     * Adapts θ on each of {@code users} as {@code round} says and returns Σ wᵢΔᵢ, Σ wᵢ (wᵢ = the client's
     * example count, as in its {@code ClientUpdate}) and who contributed. A client whose adaptation fails drops
     * out, as in {@link FederatedTraining}. This default runs {@link #map} and sums on the caller's thread in the
     * order of {@code users}; a cluster engine sums where the clients run.
     */
    default UpdateSum adaptAndSum(List<Integer> users, ClientRound round) {
        List<Optional<LocalUpdate>> updates = map(users, RoundJob.of(round, (user, update) -> update));
        UpdateSum sum = new UpdateSum(round.global().vector().size());
        for (int i = 0; i < users.size(); i++) {
            Optional<LocalUpdate> u = updates.get(i);
            if (u.isPresent()) {
                sum.add(users.get(i), u.get());
            } else {
                sum.dropped(users.get(i));
            }
        }
        return sum;
    }

    /** Releases the clients (stores, runtimes, cached data). */
    @Override
    void close();
}
