package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.data.Dataset;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.Algorithm;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.Protocol;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The networked simulator against one running coordinator serving the collaborative model (the default; devices run
 * FedRecon and announce-check the served layout first), as an operator runs it: twice in a row (device keys
 * kept in a named directory, so the second run re-enrolls the same ids instead of failing with 409
 * key_conflict), and through a coordinator outage (stopped and restarted on the same port and data directory
 * mid-run). Each run ends at exactly its start version + --rounds, long before the time limit.
 */
@Timeout(600)
class NetworkedSimulatorTest {
    private static final long SEED = 5;
    private static final int ROUNDS = 2;
    @TempDir
    Path dir;

    @Test
    void twoRunsAndAnOutage_sameCoordinator_eachStopsAtExactlyItsRounds() throws Exception {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(SEED));
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(SEED));
        SimulationConfig config = new SimulationConfig(ROUNDS, 8, 2, 0.05f, 16, 1.0, 1, 50, List.of(0), 0.05f, 2,
                List.of(Algorithm.FEDRECON), new io.metafed.coordinator.aggregate.Sgd(), null, null, ModelFamily.COLLAB,
                Protocol.DEPLOYMENT, CollabSettings.DEFAULT);
        Path keys = dir.resolve("device-keys");
        ParamLayout layout = new NetworkSimulation(data, config, 4, false, keys).layout();
        String token = NetworkSimulation.newToken();
        // The operator's coordinator: the collaborative model over the dataset's catalogue, θ₀ from its own seed.
        FederationConfig federation = new FederationConfig(8, 4, 1.0, 8, Duration.ofSeconds(20), Duration.ZERO, 2,
                0.05, 16, 1.0, SEED).withModel(ServedModel.collab(layout.collab(), 3.5f));
        ServerConfig serverConfig = ServerConfig.local(dir.resolve("coordinator")).withTls(TlsConfig.selfSigned())
                .withFederation(federation).withAuth(AuthConfig.tokens(List.of(token)));
        AtomicReference<CoordinatorServer> server = new AtomicReference<>(CoordinatorServer.start(serverConfig));
        try {
            int port = server.get().port();
            SSLContext trust = TlsTrust.fromPemCertificate(server.get().certificateFile().orElseThrow());
            NetworkSimulation.Credentials credentials = new NetworkSimulation.Credentials(
                    server.get().federation().modelKey().publicKey(), token);

            NetworkSimulation.Result first = new NetworkSimulation(data, config, 4, false, keys)
                    .runAgainst(server.get().uri(), trust, credentials, split, SEED, dir.resolve("run1"));
            assertEquals(0, first.startVersion());
            assertEquals(ROUNDS, first.run().finalVersion());
            assertEquals(ROUNDS, server.get().federation().coordinator().currentModel().version(), "no overshoot");
            assertEquals(0, first.run().refused(), "first run: nothing refused");
            assertTrue(Files.list(keys).count() >= 8, "device keys kept in " + keys);
            assertTrue(first.points().stream().anyMatch(p -> p.model().equals("FedRecon (networked)")
                    && p.steps() == EvalPoint.RECONSTRUCTED), "reconstructed users evaluated: " + first.points());

            // Second run, same coordinator, same ids: re-enrolls with the kept keys, no key_conflict.
            NetworkSimulation.Result second = new NetworkSimulation(data, config, 4, false, keys)
                    .runAgainst(server.get().uri(), trust, credentials, split, SEED, dir.resolve("run2"));
            assertEquals(ROUNDS, second.startVersion());
            assertEquals(2 * ROUNDS, second.run().finalVersion());
            assertEquals(0, second.run().refused(), "second run: nothing refused");
            assertEquals(2 * ROUNDS, server.get().federation().coordinator().currentModel().version());

            // Third run through an outage: stopped after its first round, restarted 2 s later on the same port.
            Thread outage = new Thread(() -> {
                try {
                    while (server.get().federation().coordinator().currentModel().version() < 2 * ROUNDS + 1) {
                        Thread.sleep(20);
                    }
                    server.get().close();
                    Thread.sleep(2_000);
                    server.set(CoordinatorServer.start(serverConfig.withPort(port)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "outage");
            outage.start();
            NetworkSimulation.Result third = new NetworkSimulation(data, config, 4, false, keys)
                    .runAgainst(server.get().uri(), trust, credentials, split, SEED, dir.resolve("run3"));
            outage.join(60_000);
            assertEquals(3 * ROUNDS, third.run().finalVersion(), "stops at --rounds exactly after the outage");
            assertEquals(3 * ROUNDS, server.get().federation().coordinator().currentModel().version());
            assertTrue(third.run().seconds() < 300, "ended by reaching the target, not the time limit: "
                    + third.run().seconds() + " s");
            assertTrue(third.run().unavailable() > 0 || third.run().submitted() > 0, third.run().toString());
            // A device whose update was in flight when the server stopped may send it to the restarted server, which
            // refuses it for the round that died with the old process: at most one round's selection (8 devices).
            assertTrue(third.run().refused() <= 8, "third run: at most the interrupted round's updates refused: "
                    + third.run());
        } finally {
            server.get().close();
        }
    }
}
