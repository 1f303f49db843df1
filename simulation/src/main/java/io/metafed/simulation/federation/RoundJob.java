package io.metafed.simulation.federation;

import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A client's job in a round that is "adapt θ as {@link #round()} says, then {@link #finish}": applied to one client
 * it adapts that client alone ({@link ClientRound#tryAdapt}); an execution whose workers have a batched runtime
 * ({@link WorkerRuntimes#batchedCollab}) may instead adapt several clients together
 * ({@link ClientRound#tryAdaptTogether}) and finish each with its own update, the same one up to float rounding.
 */
public interface RoundJob<R> extends BiFunction<Integer, MetafedClient, R> {
    ClientRound round();

    /** What the job makes of {@code user}'s update (empty: the client dropped out). */
    R finish(int user, Optional<LocalUpdate> update);

    @Override
    default R apply(Integer user, MetafedClient client) {
        return finish(user, round().tryAdapt(user, client));
    }

    static <R> RoundJob<R> of(ClientRound round, BiFunction<Integer, Optional<LocalUpdate>, R> finish) {
        Objects.requireNonNull(round, "round");
        Objects.requireNonNull(finish, "finish");
        return new RoundJob<>() {
            @Override
            public ClientRound round() {
                return round;
            }

            @Override
            public R finish(int user, Optional<LocalUpdate> update) {
                return finish.apply(user, update);
            }
        };
    }
}
