package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundResult;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.transport.FederatedParticipant;
import io.metafed.sdk.transport.HttpCoordinatorTransport;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system over the network: a real coordinator server on a loopback port with TLS, and 60 virtual
 * devices on 60 threads talking to it concurrently through the SDK's HTTP transport, with client authentication
 * (enrollment token, device keys, signed requests) and model signature verification. The aggregate must equal
 * what the same devices produce in process for the same seed, for each model (MeLU with Reptile's inner loop, the
 * collaborative model with FedRecon).
 */
class NetworkedFederationTest {
    private static final int CLIENTS = 60;
    /**
     * Every client every round: the server samples with SecureRandom, so only a full selection is the same set as
     * the seeded in-process reference's.
     */
    private static final int PER_ROUND = CLIENTS;
    private static final int ROUNDS = 3;
    private static final long SEED = 17;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void run_sixtyConcurrentClientsOverTls_versionAdvancesAndAggregateEqualsInProcess(ModelFamily model)
            throws Exception {
        assumeFalse(model == ModelFamily.MELU && Boolean.getBoolean("skipONNXTests"),
                "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            if (byUser.size() < CLIENTS || byUser.containsKey(in.user())) {
                byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
            }
        }
        FederationConfig meluFederation = new FederationConfig(PER_ROUND, PER_ROUND, 1.0, CLIENTS,
                Duration.ofSeconds(60), Duration.ZERO, 5, 0.05, 16, 1.0, SEED);
        // The collaborative model over the dataset's catalogue: devices run FedRecon, in process and over the network.
        FederationConfig federation = model == ModelFamily.MELU ? meluFederation : meluFederation.withModel(
                ServedModel.collab(SimulationRunner.layout(model, CollabSettings.DEFAULT, data).collab(), 3.5f));
        ParamLayout layout = federation.layout();
        float[] networked;
        NetworkedRun.Result result;
        String token = NetworkSimulation.newToken();
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(dir.resolve("server"))
                .withPort(0).withTls(TlsConfig.selfSigned()).withFederation(federation)
                .withAuth(AuthConfig.tokens(List.of(token))));
             WorkerRuntimes workers = new WorkerRuntimes(layout, CLIENTS);
             ClientPool pool = new ClientPool(workers, layout, data, byUser, dir)) {
            // Authenticated devices: own keys, enrollment token, every model verified against the signing key.
            HttpCoordinatorTransport http = NetworkSimulation.transport(server.uri(),
                    TlsTrust.fromPemCertificate(server.certificateFile().orElseThrow()),
                    new NetworkSimulation.Credentials(server.federation().modelKey().publicKey(), token),
                    dir.resolve(model.label()));
            NetworkedRun run = new NetworkedRun(pool, layout, http, SEED);
            run.enrollAll();
            Coordinator coordinator = server.federation().coordinator();
            result = run.run(ROUNDS, () -> coordinator.currentModel().version(), Duration.ofSeconds(120));
            assertTrue(result.finalVersion() >= ROUNDS, "model version after the run: " + result);
            assertTrue(result.submitted() >= ROUNDS * PER_ROUND, "accepted submissions: " + result);
            assertEquals(0, result.refused(), "refused requests: " + result);
            // Devices may already be in the next round: compare the checkpoint of version ROUNDS itself.
            networked = WeightFile.read(dir.resolve("server").resolve("checkpoints")
                    .resolve(String.format("model-%012d.mfwt", ROUNDS)), layout).params();

            float[] inProcess = inProcess(federation, layout, pool);
            double maxDiff = 0;
            for (int i = 0; i < inProcess.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(inProcess[i] - networked[i]));
            }
            // Only the order in which updates are summed may differ (double accumulation, then float).
            assertTrue(maxDiff <= 1e-6, "networked vs in-process aggregate differ by " + maxDiff);
        }
    }

    /** The same devices and seeds, rounds driven directly on a coordinator in this process. */
    private static float[] inProcess(FederationConfig federation, ParamLayout layout, ClientPool pool) {
        Coordinator coordinator = new Coordinator(layout, federation.initialParams(layout),
                federation.coordinatorConfig(), new InMemoryCheckpointStore(), Clock.systemUTC());
        InProcessTransport transport = new InProcessTransport(coordinator);
        Map<String, FederatedParticipant> participants = new LinkedHashMap<>();
        pool.onEachWorker((worker, clients) -> {
            synchronized (participants) {
                clients.forEach((user, client) -> participants.put(NetworkedRun.clientId(user),
                        new FederatedParticipant(NetworkedRun.clientId(user), client, layout, transport, SEED)));
            }
            return null;
        });
        participants.values().forEach(FederatedParticipant::enroll);
        for (int r = 0; r < ROUNDS; r++) {
            RoundTask task = coordinator.openRound();
            transport.roundOpened(task);
            for (String id : task.selectedClients()) {
                assertTrue(participants.get(id).participate().submitted(), "in-process client " + id);
            }
            transport.roundOpened(null);
            assertTrue(coordinator.closeRound() instanceof RoundResult.Aggregated);
        }
        return coordinator.currentModel().params();
    }
}
