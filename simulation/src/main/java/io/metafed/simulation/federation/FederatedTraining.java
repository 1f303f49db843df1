package io.metafed.simulation.federation;

import io.metafed.coordinator.ClientHyperparameters;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundResult;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives rounds between a real {@link Coordinator} and the virtual clients of a {@link ClientPool}, in process:
 * the coordinator samples clients and publishes θ, each selected client adapts it with the SDK and returns
 * Δ = φ − θ, the coordinator aggregates.
 */
public final class FederatedTraining {
    /** How a client turns the round's hyperparameters and its own data size into a number of local steps. */
    @FunctionalInterface
    public interface LocalSteps {
        int steps(ClientHyperparameters hyperparameters, int ratings);

        /** Reptile: the coordinator's inner steps, whatever the data size. */
        static LocalSteps reptile() {
            return (h, n) -> h.innerSteps();
        }

        /** FedAvg: {@code epochs} passes over the local data in minibatches. */
        static LocalSteps epochs(int epochs) {
            return (h, n) -> epochs * Math.max(1, (n + h.batchSize() - 1) / h.batchSize());
        }
    }

    /** Called after each round with the round number (1-based) and the new global model. */
    @FunctionalInterface
    public interface RoundListener {
        void afterRound(int round, ModelVersion model, List<LocalUpdate> updates);
    }

    private final Coordinator coordinator;
    private final ClientPool pool;
    private final LocalSteps localSteps;
    private final long seed;

    public FederatedTraining(Coordinator coordinator, ClientPool pool, LocalSteps localSteps, long seed) {
        this.coordinator = coordinator;
        this.pool = pool;
        this.localSteps = localSteps;
        this.seed = seed;
        for (int user : pool.users()) {
            coordinator.checkIn(clientId(user));
        }
    }

    static String clientId(int user) {
        return "user-" + user;
    }

    /** Runs {@code rounds} rounds. In process every selected client answers, so a failed round is a bug and stops the run. */
    public void run(int rounds, RoundListener listener) {
        for (int r = 1; r <= rounds; r++) {
            RoundTask task = coordinator.openRound();
            ModelVersion base = coordinator.currentModel();
            GlobalModel global = GlobalModel.of(base.version(), coordinator.layout(), base.params());
            ClientHyperparameters h = task.hyperparameters();
            List<Integer> users = new ArrayList<>();
            for (String id : task.selectedClients()) {
                users.add(Integer.parseInt(id.substring("user-".length())));
            }
            int roundId = task.roundId();
            List<LocalUpdate> updates = pool.map(users, (user, client) -> client.adapt(global,
                    new AdaptationConfig(localSteps.steps(h, client.ratingCount()), (float) h.innerLr(),
                            h.batchSize(), seed * 1_000_003L + roundId * 7_919L + user)));
            for (int i = 0; i < users.size(); i++) {
                LocalUpdate u = updates.get(i);
                coordinator.submit(new ClientUpdate(clientId(users.get(i)), roundId, u.modelVersion(), task.layoutId(),
                        u.delta(), u.exampleCount()));
            }
            RoundResult result = coordinator.closeRound();
            if (result instanceof RoundResult.Failed failed) {
                throw new IllegalStateException("round " + failed.roundId() + " failed: " + failed.reason());
            }
            listener.afterRound(r, coordinator.currentModel(), updates);
        }
    }
}
