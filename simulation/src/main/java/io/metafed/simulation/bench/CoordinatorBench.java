package io.metafed.simulation.bench;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.model.Provenance;
import io.metafed.coordinator.model.ProvenanceMetadata;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.secagg.SecAggBench;
import io.metafed.security.secagg.SecAggResult;
import java.time.Clock;
import java.util.Map;

/**
 * The coordinator: plain aggregation (validate, accumulate and close a round of Reptile updates) and secure
 * aggregation (the Bonawitz et al. protocol's server and client cost, via {@link SecAggBench}), both on updates
 * of the model's size, and the bytes a client moves per round.
 */
final class CoordinatorBench {
    static final String SECTION = "Coordinator";
    private static final double GB = 1e9;

    private final BenchFixture fixture;
    private final BenchSettings settings;

    CoordinatorBench(BenchFixture fixture, BenchSettings settings) {
        this.fixture = fixture;
        this.settings = settings;
    }

    void run(BenchReport report) {
        ParamLayout layout = fixture.layout();
        int n = settings.aggregationSize();
        float[] delta = new float[layout.size()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = 1e-4f * (i % 13 - 6); // small, so θ stays finite over many rounds
        }
        Coordinator coordinator = new Coordinator(layout, fixture.theta(), new CoordinatorConfig(
                RoundConfig.of(n, n, BenchFixture.SEED), LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).build(), Reptile.constant(1.0)),
                new InMemoryCheckpointStore(), Clock.systemUTC());
        for (int c = 0; c < n; c++) {
            coordinator.checkIn(clientId(c));
        }
        Timing round = Timing.measure(settings.warmups(), settings.samples(), 1, () -> {
            RoundTask task = coordinator.openRound();
            for (String id : task.selectedClients()) {
                coordinator.submit(new ClientUpdate(id, task.roundId(), task.modelVersion(), task.layoutId(), delta,
                        1));
            }
            coordinator.closeRound();
        });
        double updateBytes = (double) layout.size() * Float.BYTES;
        String plain = n + " Reptile updates of " + layout.size() + " floats per round";
        report.add(BenchRow.rate(SECTION, "plain aggregation updates/s (" + plain + ")", round, n, "updates/s",
                "Coordinator open + submit + close, one thread"));
        report.add(BenchRow.rate(SECTION, "plain aggregation throughput", round, n * updateBytes / GB, "GB/s",
                "update payload (4 bytes/param) / time"));
        SecAggResult secure = secure(report, layout.size());
        bytes(report, coordinator.currentModel(), delta, secure);
        for (int items : COLLAB_CATALOGUES) {
            collab(report, items);
        }
    }

    /**
     * Catalogue sizes of the collaborative model's byte rows: MovieLens-100K's items, MovieLens-1M's (about 3,700)
     * and a 60,000-item catalogue (MovieLens-25M's order of magnitude).
     */
    static final int[] COLLAB_CATALOGUES = {1682, 3706, 60_000};

    /**
     * The collaborative model over {@code items} items (simulator defaults: d = 16, MovieLens' 19 genres): the
     * weight files a device downloads and uploads in a plain round, and what a securely aggregated round of
     * {@code secaggClients} devices costs each of them in bytes and time (dimension: θ plus the weight word).
     */
    private void collab(BenchReport report, int items) {
        int[] ids = new int[items];
        for (int i = 0; i < items; i++) {
            ids[i] = i + 1;
        }
        ParamLayout layout = ParamLayout.of(CollabConfig.defaults(ids, CollabEncoder.contentWidth(19)));
        float[] theta = CollabInitializer.initialize(layout, BenchFixture.SEED, 3.53f);
        ModelVersion model = new ModelVersion(0, -1, theta, Provenance.initial(Map.of("innerSteps", "5",
                "innerLr", "0.05", "batchSize", "128"), layout.id(), Clock.systemUTC()));
        String prefix = String.format(java.util.Locale.ROOT, "collab %,d items (%,d params): ", items, layout.size());
        int up = WeightFile.write(layout, new float[layout.size()], updateMetadata()).length;
        int down = WeightFile.write(layout, model.params(), ProvenanceMetadata.of(model, layout)).length;
        SecAggBench.Round r = SecAggBench.round(settings.secaggClients(), layout.size() + 1, 0.0);
        if (!r.correct()) {
            throw new IllegalStateException("secure aggregation of " + items + "-item updates returned a wrong sum");
        }
        report.add(BenchRow.figure(SECTION, prefix + "bytes up per client per round (plain)", up, "B",
                "update weight file (dense θ-sized Δ)"));
        report.add(BenchRow.figure(SECTION, prefix + "bytes down per client per round (plain)", down, "B",
                "global model weight file"));
        report.add(BenchRow.figure(SECTION, prefix + "bytes up per client per round (secure)",
                r.result().bytesUpPerClient(), "B", settings.secaggClients() + " clients, secagg wireBytes"));
        report.add(BenchRow.figure(SECTION, prefix + "bytes down per client per round (secure)",
                down + r.result().bytesDownPerClient(), "B", "model file + secagg messages' wireBytes"));
        report.add(BenchRow.figure(SECTION, prefix + "secure aggregation client time per client",
                r.result().clientMillisPerClient(), "ms", "one SecAggBench.round, all four stages"));
        report.add(BenchRow.figure(SECTION, prefix + "secure aggregation server time per round",
                r.result().serverMillis(), "ms", "one SecAggBench.round, server calls"));
    }

    /** The metadata keys HttpCoordinatorTransport sends with an update. */
    private static Map<String, String> updateMetadata() {
        return Map.of(Protocol.META_CLIENT, clientId(0), Protocol.META_ROUND, "0", Protocol.META_MODEL_VERSION, "0",
                Protocol.META_WEIGHT, "1");
    }

    private SecAggResult secure(BenchReport report, int dimension) {
        int n = settings.secaggClients();
        if (settings.warmSecureAggregation()) {
            SecAggBench.warmUp();
        }
        double[] serverNanos = new double[settings.samples()];
        double[] clientNanos = new double[settings.samples()];
        SecAggResult last = null;
        for (int s = 0; s < settings.samples(); s++) {
            SecAggBench.Round r = SecAggBench.round(n, dimension, 0.0);
            if (!r.correct()) {
                throw new IllegalStateException("secure aggregation of " + n + " clients returned a wrong sum");
            }
            last = r.result();
            serverNanos[s] = last.serverMillis() * 1e6;
            clientNanos[s] = last.clientMillisPerClient() * 1e6;
        }
        Timing server = Timing.of(serverNanos);
        String what = n + " clients, " + dimension + " words, no dropout";
        report.add(BenchRow.millis(SECTION, "secure aggregation server time per round (" + what + ")", server,
                "SecAggBench.round, server calls"));
        report.add(BenchRow.millis(SECTION, "secure aggregation client time per client", Timing.of(clientNanos),
                "SecAggBench.round, all four stages"));
        report.add(BenchRow.rate(SECTION, "secure aggregation updates/s (server)", server, n, "updates/s",
                "clients / server time"));
        report.add(BenchRow.rate(SECTION, "secure aggregation throughput (server)", server,
                n * (double) dimension * Integer.BYTES / GB, "GB/s", "masked input payload / server time"));
        return last;
    }

    /** Payload bytes per client per round, without HTTP headers and TLS framing. */
    private void bytes(BenchReport report, ModelVersion model, float[] delta, SecAggResult secure) {
        ParamLayout layout = fixture.layout();
        int up = WeightFile.write(layout, delta, updateMetadata()).length;
        int down = WeightFile.write(layout, model.params(), ProvenanceMetadata.of(model, layout)).length;
        report.add(BenchRow.figure(SECTION, "bytes up per client per round (plain)", up, "B", "update weight file"));
        report.add(BenchRow.figure(SECTION, "bytes down per client per round (plain)", down, "B",
                "global model weight file"));
        report.add(BenchRow.figure(SECTION, "bytes up per client per round (secure)", secure.bytesUpPerClient(), "B",
                "secagg messages' wireBytes"));
        report.add(BenchRow.figure(SECTION, "bytes down per client per round (secure)",
                down + secure.bytesDownPerClient(), "B", "model file + secagg messages' wireBytes"));
    }

    private static String clientId(int c) {
        return "bench-" + c;
    }
}
