package io.metafed.simulation.federation;

import io.metafed.model.algorithm.LocalTraining;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.AdaptationOutcome;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every selected client of one round does: adapt the round's θ with the round's task. The per-client seed
 * is a pure function of (run seed, round id, user), so any engine, and any retry of a lost task, computes the same
 * update for the same client.
 *
 * @param seed the run seed
 */
public record ClientRound(int roundId, GlobalModel global, LocalTraining training, long seed) {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRound.class);

    public ClientRound {
        if (roundId < 0) {
            throw new IllegalArgumentException("roundId must be >= 0, found " + roundId);
        }
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(training, "training");
    }

    /** The minibatch seed of {@code user}'s adaptation in round {@code roundId} of a run seeded {@code seed}. */
    public static long clientSeed(long seed, int roundId, int user) {
        return seed * 1_000_003L + roundId * 7_919L + user;
    }

    /**
     * {@code client}'s update, or empty when its adaptation fails (e.g. diverges or produces a non-finite Δ): the
     * client drops out of the round, as a device would.
     */
    public Optional<LocalUpdate> tryAdapt(int user, MetafedClient client) {
        try {
            LocalUpdate u = client.adapt(global, AdaptationConfig.of(training, client.ratingCount(),
                    clientSeed(seed, roundId, user)));
            return Optional.of(u);
        } catch (IllegalStateException e) {
            LOG.warn("Client {} dropped out of round {}: {}", user, roundId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The updates of {@code clients} (of {@code users}, in order) adapted together in one batched call per number
     * of steps; a client whose adaptation fails drops out alone, as with {@link #tryAdapt}.
     */
    public List<Optional<LocalUpdate>> tryAdaptTogether(List<Integer> users, List<MetafedClient> clients,
            OrtBatchedCollabRuntime runtime) {
        List<AdaptationConfig> configs = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            configs.add(AdaptationConfig.of(training, clients.get(i).ratingCount(),
                    clientSeed(seed, roundId, users.get(i))));
        }
        List<AdaptationOutcome> outcomes = MetafedClient.adaptTogether(clients, global, configs, runtime);
        List<Optional<LocalUpdate>> updates = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            AdaptationOutcome o = outcomes.get(i);
            if (o.succeeded()) {
                updates.add(Optional.of(o.update()));
            } else {
                LOG.warn("Client {} dropped out of round {}: {}", users.get(i), roundId, o.failure().getMessage());
                updates.add(Optional.empty());
            }
        }
        return updates;
    }
}
