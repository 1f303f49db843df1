package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.StartupStateTest.Result;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Which model the coordinator serves: {@code --model collab} (the default, over {@code --catalog}) or {@code melu},
 * and a data directory that keeps the model it was created with: a start configured for another one stops with one
 * line naming both, and leaves the checkpoints alone.
 */
@Timeout(120)
class ServedModelStartupTest {
    @TempDir
    Path dir;

    private Path catalog(String name, int... ids) throws Exception {
        StringBuilder text = new StringBuilder("# item ids\n");
        for (int id : ids) {
            text.append(id).append('\n');
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private static String[] args(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("--port", "0", "--data-dir", data.toString(), "--no-client-auth",
                "--insecure-plaintext"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static CoordinatorMain parsed(String... args) {
        CoordinatorMain main = new CoordinatorMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void defaultModel_isCollab_andWithoutCatalogStopsWithOneUsageLine() {
        Result r = StartupStateTest.run(args(dir.resolve("new"), "--init"));
        assertEquals(2, r.code());
        String line = r.oneLine();
        assertTrue(line.contains("--model collab (the default) needs --catalog FILE") && line.contains("--model melu"),
                line);
        assertTrue(!Files.exists(dir.resolve("new")), "nothing was created");
    }

    @Test
    void collabOptions_makeTheLayoutFromCatalogueGenresAndHyperparameters() throws Exception {
        Path catalog = catalog("items", 30, 10, 20);
        ModelOptions options = parsed("--catalog", catalog.toString(), "--genres", "18", "--dim", "8", "--ridge",
                "2.5", "--item-reg", "0.1").modelOptions;
        CollabConfig c = options.served().layout().collab();
        assertArrayEquals(new int[] {10, 20, 30}, c.itemIds());
        assertEquals(CollabEncoder.contentWidth(18), c.contentWidth());
        assertEquals(8, c.dim());
        assertEquals(2.5, c.lambdaUser());
        assertEquals(2.5, c.lambdaBias());
        assertEquals(0.1, c.itemReg());
        assertEquals(ModelOptions.COLLAB_BATCH, options.defaultBatchSize());
        CollabConfig fitted = parsed("--catalog", catalog.toString(), "--content", "genre:18m,year:4<1990|1995>",
                "--item-rows", "2").modelOptions.served().layout().collab();
        assertEquals("genre:18m,year:4<1990|1995>", fitted.content().describe());
        assertEquals(18 + 4 + 1, fitted.contentWidth(), "the schema's columns and the constant");
        assertEquals(2, fitted.items(), "hashed into two rows");
        CollabConfig defaults = parsed("--catalog", catalog.toString()).modelOptions.served().layout().collab();
        assertEquals(CollabConfig.defaults(new int[] {10, 20, 30}, CollabEncoder.contentWidth(19)), defaults);
        ModelOptions melu = parsed("--model", "MELU").modelOptions;
        assertEquals(FederationConfig.defaults().layout().id(), melu.served().layout().id(), "MeLU, standard schema");
        assertEquals(ModelOptions.MELU_BATCH, melu.defaultBatchSize());
    }

    @Test
    void optionsThatDoNotFit_stopWithOneUsageLine() throws Exception {
        Path data = dir.resolve("new");
        String withMelu = StartupStateTest.run(args(data, "--init", "--model", "melu", "--dim", "8")).oneLine();
        assertTrue(withMelu.contains("--dim") && withMelu.contains("apply to --model collab"), withMelu);
        Result unknown = StartupStateTest.run(args(data, "--init", "--model", "mlp"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.oneLine().contains("--model must be collab or melu, found 'mlp'"), unknown.err());
        Path bad = Files.writeString(dir.resolve("bad"), "1\n1\n");
        Result twice = StartupStateTest.run(args(data, "--init", "--catalog", bad.toString()));
        assertEquals(2, twice.code());
        assertTrue(twice.oneLine().contains("--catalog: " + bad + " line 2: item 1 is listed twice"), twice.err());
        Path items = catalog("items", 1, 2);
        Result both = StartupStateTest.run(args(data, "--init", "--catalog", items.toString(), "--genres", "18",
                "--content", "genre:18m"));
        assertEquals(2, both.code());
        assertTrue(both.oneLine().contains("--content and --genres exclude each other"), both.err());
        Result badSchema = StartupStateTest.run(args(data, "--init", "--catalog", items.toString(), "--content",
                "genre:18m,year:5<1990|1995>"));
        assertEquals(2, badSchema.code());
        assertTrue(badSchema.oneLine().contains("--content: field year with 2 bucket edges must have size 4"),
                badSchema.err());
        Result missing = StartupStateTest.run(args(data, "--init", "--catalog", dir.resolve("nope").toString()));
        assertEquals(1, missing.code());
        assertTrue(missing.oneLine().contains("cannot read --catalog") && missing.err().contains("nope"),
                missing.err());
    }

    @Test
    void algorithmOptions_chooseFromTheRegistry_andWrongOnesStopWithOneUsageLine() throws Exception {
        Path data = dir.resolve("new");
        Result unknown = StartupStateTest.run(args(data, "--init", "--model", "melu", "--algorithm", "quantum-sgd"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.oneLine().contains("unknown algorithm 'quantum-sgd': known are fedavg, fedreptile, fomaml,"
                + " meta-sgd, fedrecon"), unknown.err());
        Path items = catalog("items", 1, 2, 3);
        Result unfit = StartupStateTest.run(args(data, "--init", "--catalog", items.toString(), "--algorithm",
                "fomaml"));
        assertEquals(2, unfit.code());
        assertTrue(unfit.oneLine().contains("algorithms for collab: fedavg, fedrecon"), unfit.err());
        assertTrue(!Files.exists(data), "nothing was created");

        // Meta-SGD serves MeLU with its rates appended, starting at the inner learning rate, and says so in tasks.
        FederationConfig metaSgd = FederationConfig.defaults().withAlgorithm(new AlgorithmSettings(
                io.metafed.model.algorithm.FederatedAlgorithm.META_SGD, 0, 0.2,
                io.metafed.coordinator.aggregate.AggregationRules.optimizer("adam")));
        assertEquals(2 * metaSgd.model().layout().size(), metaSgd.layout().size());
        float[] theta0 = metaSgd.initialParams();
        assertEquals((float) metaSgd.innerLr(), theta0[theta0.length - 1]);
        assertEquals("meta-sgd", metaSgd.training().algorithm().wireName());
        assertEquals(0.2, metaSgd.training().metaStepSize());
        assertEquals("adam", metaSgd.coordinatorConfig().rule().describe().get("optimizer"));
        assertEquals("constant", metaSgd.coordinatorConfig().rule().describe().get("epsilon.schedule"));
        // --anneal-rounds reaches the server's rule; a negative count stops with one usage line.
        java.util.Map<String, String> annealed = FederationConfig.defaults()
                .withAlgorithm(AlgorithmSettings.of(io.metafed.model.algorithm.FederatedAlgorithm.FEDREPTILE)
                        .withAnnealing(100, 400)).coordinatorConfig().rule().describe();
        assertEquals("hold-then-linear-decay", annealed.get("epsilon.schedule"));
        assertEquals("100", annealed.get("epsilon.holdRounds"));
        assertEquals("400", annealed.get("epsilon.decayRounds"));
        assertEquals("0.05", annealed.get("epsilon.minimum"));
        Result negative = StartupStateTest.run(args(data, "--init", "--model", "melu", "--anneal-rounds", "-3"));
        assertEquals(2, negative.code());
        assertTrue(negative.oneLine().contains("annealRounds") && negative.oneLine().contains("-3"), negative.err());
        // withModel(...) keeps no stale default: a collab model then runs its own default.
        ServedModel collab = parsed("--catalog", items.toString()).modelOptions.served();
        assertEquals("fedrecon", FederationConfig.defaults().withModel(collab).training().algorithm().wireName());
    }

    @Test
    void restart_withAnotherModel_isRefusedInOneLine_andTheCheckpointsStay() throws Exception {
        Path data = dir.resolve("data");
        Path items = catalog("items", 1, 2, 3, 4);
        ServedModel collab = parsed("--catalog", items.toString()).modelOptions.served();
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data)
                .withTls(TlsConfig.insecurePlaintext()).withFederation(FederationConfig.defaults().withModel(collab)),
                Clock.systemUTC(), StartupMode.INIT)) {
            assertEquals(collab.layout().id(), server.federation().coordinator().layout().id());
        }
        Path checkpoint = data.resolve("checkpoints").resolve(String.format("model-%012d.mfwt", 0));
        byte[] before = Files.readAllBytes(checkpoint);

        String melu = StartupStateTest.run(args(data, "--model", "melu")).oneLine();
        assertTrue(melu.contains("holds a collab model (checkpoint v0: collab/v1;dim=32;items=4:")
                && melu.contains("configured to serve melu/v1;") && melu.contains("--catalog"), melu);
        Result otherDim = StartupStateTest.run(args(data, "--catalog", items.toString(), "--dim", "8"));
        assertEquals(1, otherDim.code());
        String dim = otherDim.oneLine();
        assertTrue(dim.contains("a collab model of another layout") && dim.contains("dim=32")
                && dim.contains("dim=8"), dim);
        String otherItems = StartupStateTest.run(args(data, "--catalog", catalog("more", 1, 2, 3, 4, 5).toString()))
                .oneLine();
        assertTrue(otherItems.contains("items=4:") && otherItems.contains("items=5:"), otherItems);
        assertArrayEquals(before, Files.readAllBytes(checkpoint), "the checkpoint is left as it was");

        // The same options resume: θ₀ was the collaborative initializer's for the federation's seed.
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data)
                .withTls(TlsConfig.insecurePlaintext()).withFederation(FederationConfig.defaults().withModel(collab)),
                Clock.systemUTC(), StartupMode.EXISTING)) {
            assertArrayEquals(CollabInitializer.initialize(collab.layout(), FederationConfig.defaults().seed(),
                    ServedModel.DEFAULT_MEAN_RATING), server.federation().coordinator().currentModel().params());
            assertEquals("collab", WeightFile.modelFamily(before));
        }
    }

    @Test
    void meluDirectory_startedWithTheCollabDefault_isRefusedNamingMelu() throws Exception {
        Path data = dir.resolve("melu");
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(data)
                .withTls(TlsConfig.insecurePlaintext()))) {
            server.port();
        }
        String line = StartupStateTest.run(args(data, "--catalog", catalog("items", 1, 2).toString())).oneLine();
        assertTrue(line.contains("holds a melu model") && line.contains("configured to serve collab/v1;"), line);
    }
}
