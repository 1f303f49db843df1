package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.model.data.Dataset;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.security.dp.PrivacyBudget;
import io.metafed.simulation.Algorithm;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.Protocol;
import io.metafed.simulation.SecureAggregationSettings;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.eval.EvalPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The networked simulator with the collaborative model: the embedded coordinator serving the simulator's layout and
 * θ₀, securely aggregated and plain, both under differential privacy; and a running coordinator that serves another
 * layout, refused before any device enrolls.
 */
@Timeout(300)
class NetworkedCollabTest {
    private static final long SEED = 3;
    private static final int ROUNDS = 2;
    /** Near the measured median collab update norm (docs/PRIVACY.md), so clipping is active for about half. */
    private static final PrivacySettings DP = new PrivacySettings(0.3,
            PrivacyBudget.builder().noiseMultiplier(0.5).delta(1e-5).build());

    @TempDir
    Path dir;

    private static Dataset data() {
        return SyntheticDataGenerator.generate(SyntheticConfig.small(SEED));
    }

    private static SimulationConfig collab(PrivacySettings privacy, SecureAggregationSettings secure) {
        return new SimulationConfig(ROUNDS, 8, 2, 0.05f, 16, 1.0, 1, 50, List.of(0), 0.05f, 2,
                List.of(Algorithm.FEDRECON), new Sgd(), privacy, secure, ModelFamily.COLLAB, Protocol.DEPLOYMENT,
                CollabSettings.DEFAULT);
    }

    @Test
    void embedded_secureAndPlain_underDp_trainTheCollabModelAndSpendPrivacy() throws Exception {
        Dataset data = data();
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(SEED));
        for (SecureAggregationSettings secure : Arrays.asList(new SecureAggregationSettings(10.0, 0), null)) {
            NetworkSimulation simulation = new NetworkSimulation(data, collab(DP, secure), 4, false);
            NetworkSimulation.Result r = simulation.runEmbedded(split, SEED, dir.resolve(secure == null ? "plain"
                    : "secure"));
            String what = (secure == null ? "plain" : "secure") + " rounds: " + r.run();
            assertEquals(ROUNDS, r.run().finalVersion(), what);
            assertEquals(0, r.run().refused(), what);
            assertNotNull(r.privacySpent(), what);
            assertTrue(r.privacySpent().epsilon() > 0 && Double.isFinite(r.privacySpent().epsilon()),
                    "ε after " + ROUNDS + " rounds: " + r.privacySpent());
            assertTrue(r.points().stream().anyMatch(p -> p.model().equals("FedRecon (networked)")
                    && p.steps() == EvalPoint.RECONSTRUCTED && Double.isFinite(p.metrics().get("mae"))), what);
            assertTrue(r.points().stream().anyMatch(p -> p.model().equals(SimulationRunner.BIAS)), what);
        }
    }

    @Test
    void runAgainst_aCoordinatorServingAnotherLayout_isRefusedBeforeAnyDeviceEnrolls() throws Exception {
        Dataset data = data();
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(SEED));
        NetworkSimulation simulation = new NetworkSimulation(data, collab(null, null), 2, false);
        CollabConfig mine = simulation.layout().collab();
        // The operator's catalogue lacks one of the dataset's items: another layout.
        int[] fewer = Arrays.copyOf(mine.itemIds(), mine.items() - 1);
        FederationConfig served = FederationConfig.defaults().withModel(ServedModel.collab(new CollabConfig(fewer,
                mine.contentWidth(), mine.dim(), mine.lambdaUser(), mine.lambdaBias(), mine.itemReg(), mine.content(),
                mine.itemRows()), 3.5f));
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(dir.resolve("server"))
                .withTls(TlsConfig.insecurePlaintext()).withFederation(served))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> simulation.runAgainst(server.uri(), null, split, SEED, dir.resolve("run")));
            assertTrue(e.getMessage().contains("serves collab/v1;dim=32;items=" + fewer.length + ":")
                    && e.getMessage().contains("they differ in items (served " + fewer.length + ":")
                    && !e.getMessage().contains("schema (served"), "only the catalogue differs: " + e.getMessage());
            assertEquals(0, server.federation().clients().size(), "refused before any device enrolled");

            NetworkSimulation melu = new NetworkSimulation(data, new SimulationConfig(ROUNDS, 8, 2, 0.05f, 16, 1.0, 1,
                    50, List.of(0), 0.05f, 2, List.of(Algorithm.FEDREPTILE), new Sgd()), 2, false);
            IllegalArgumentException family = assertThrows(IllegalArgumentException.class,
                    () -> melu.runAgainst(server.uri(), null, split, SEED, dir.resolve("melu")));
            assertTrue(family.getMessage().contains("give --model collab, or serve --model melu"),
                    family.getMessage());
        }
    }

    @Test
    void servedLayouts_parseTheAnnouncedDescription() {
        ParamLayout layout = ParamLayout.of(CollabConfig.defaults(new int[] {1, 2, 3}, 28));
        ServedLayouts.Announced a = ServedLayouts.parse(layout.spec().describe());
        assertEquals("collab", a.family());
        assertEquals(Optional.of("32"), a.field("dim"));
        assertEquals(Optional.of("0.02"), a.field("reg"));
        assertTrue(a.field("items").orElseThrow().startsWith("3:"), a.toString());
    }
}
