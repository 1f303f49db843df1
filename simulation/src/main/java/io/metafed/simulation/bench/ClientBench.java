package io.metafed.simulation.bench;

import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.runtime.OrtCollabRuntime;
import io.metafed.sdk.runtime.OrtModelRuntime;
import io.metafed.simulation.federation.ClientPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The device side: one {@link MetafedClient#adapt} (k full-batch steps on a support set) and one
 * {@link MetafedClient#recommend} over {@value #CANDIDATES} candidates, with ONNX Runtime and with the plain-Java
 * {@link ReferenceModel} as the client's runtime, and the SDK's heap; the same for the collaborative model (a FedRecon
 * adaptation as a round asks it, and scoring with the reconstructed user), with {@link OrtCollabRuntime} and the
 * plain-Java {@link CollabReference}.
 */
final class ClientBench {
    static final String SECTION = "Client";
    static final int CANDIDATES = 1000;
    static final int[] STEPS = {1, 5};
    static final int[] SUPPORT = {20, 90};
    /** The simulator's default inner learning rate; the value does not change the cost. */
    private static final float LEARNING_RATE = 0.05f;
    /** The collaborative simulator's defaults: k = 5 FedRecon steps, minibatches of 128 (all of a 90-rating half). */
    static final int COLLAB_STEPS = 5;
    static final int COLLAB_BATCH = 128;

    private final BenchFixture fixture;
    private final BenchSettings settings;
    private final Path storeDir;
    private final int[] candidates;

    ClientBench(BenchFixture fixture, BenchSettings settings, Path storeDir) {
        this.fixture = fixture;
        this.settings = settings;
        this.storeDir = storeDir;
        this.candidates = fixture.candidateItems(CANDIDATES);
    }

    void run(BenchReport report) {
        try (OrtModelRuntime ort = new OrtModelRuntime(fixture.layout())) {
            ModelRuntime java = new ReferenceModel(fixture.layout());
            GlobalModel global = GlobalModel.of(0, fixture.layout(), fixture.theta());
            for (int n : SUPPORT) {
                for (int k : STEPS) {
                    for (ModelRuntime runtime : List.of(ort, java)) {
                        try (MetafedClient client = client(runtime, n, "adapt-" + n + "-" + k + "-" + label(runtime))) {
                            AdaptationConfig config = AdaptationConfig.fullBatch(k, LEARNING_RATE);
                            Timing t = time(() -> client.adapt(global, config));
                            report.add(BenchRow.millis(SECTION, String.format(Locale.ROOT,
                                    "adapt k=%d support=%d, %s", k, n, label(runtime)), t, "MetafedClient.adapt"));
                        }
                    }
                }
            }
            for (ModelRuntime runtime : List.of(ort, java)) {
                try (MetafedClient client = client(runtime, BenchFixture.MAX_SUPPORT, "score-" + label(runtime))) {
                    client.adapt(global, AdaptationConfig.fullBatch(1, LEARNING_RATE));
                    Timing t = time(() -> client.recommend(10, candidates));
                    report.add(BenchRow.millis(SECTION, "score " + CANDIDATES + " candidates (top 10), "
                            + label(runtime), t, "MetafedClient.recommend"));
                }
            }
        }
        heap(report);
        collab(report);
        heap(report, "collab ", "collab-heap-", fixture.collabLayout(),
                GlobalModel.of(0, fixture.collabLayout(), fixture.collabTheta()),
                new AdaptationConfig(COLLAB_STEPS, LEARNING_RATE, COLLAB_BATCH, 1));
    }

    /**
     * The collaborative model: FedRecon as a round runs it (reconstruct z on half the ratings, k SGD steps of the
     * shared parameters on the other half, in minibatches of up to {@value #COLLAB_BATCH}, the prior step), and
     * scoring after reconstructing the user on all its ratings (k = 0, as at evaluation).
     */
    private void collab(BenchReport report) {
        ParamLayout layout = fixture.collabLayout();
        GlobalModel global = GlobalModel.of(0, layout, fixture.collabTheta());
        try (OrtCollabRuntime ort = new OrtCollabRuntime(layout)) {
            CollabRuntime java = new CollabReference(layout);
            for (int n : SUPPORT) {
                for (CollabRuntime runtime : List.of(ort, java)) {
                    try (MetafedClient client = collabClient(runtime, n, "collab-adapt-" + n + "-" + label(runtime))) {
                        AdaptationConfig config = new AdaptationConfig(COLLAB_STEPS, LEARNING_RATE, COLLAB_BATCH, 1);
                        Timing t = time(() -> client.adapt(global, config));
                        report.add(BenchRow.millis(SECTION, String.format(Locale.ROOT,
                                "collab FedRecon adapt k=%d support=%d, %s", COLLAB_STEPS, n, label(runtime)), t,
                                "MetafedClient.adapt (collaborative model)"));
                    }
                }
            }
            for (CollabRuntime runtime : List.of(ort, java)) {
                try (MetafedClient client = collabClient(runtime, BenchFixture.MAX_SUPPORT, "collab-score-"
                        + label(runtime))) {
                    client.adapt(global, AdaptationConfig.fullBatch(0, LEARNING_RATE));
                    Timing t = time(() -> client.recommend(10, candidates));
                    report.add(BenchRow.millis(SECTION, "collab score " + CANDIDATES + " candidates (top 10), "
                            + label(runtime), t, "MetafedClient.recommend (collaborative model)"));
                }
            }
        }
    }

    private MetafedClient collabClient(CollabRuntime runtime, int ratings, String name) {
        MetafedClient client = MetafedClient.builder().storePath(storeDir.resolve(name + ".store"))
                .user(fixture.data().user(fixture.user())).catalog(fixture.data()).layout(fixture.collabLayout())
                .collabRuntime(runtime).build();
        record(client, ratings);
        return client;
    }

    /** The MeLU SDK's heap (the rows without a prefix). */
    private void heap(BenchReport report) {
        heap(report, "", "heap-", fixture.layout(), GlobalModel.of(0, fixture.layout(), fixture.theta()),
                AdaptationConfig.fullBatch(5, LEARNING_RATE));
    }

    /**
     * Retained heap of a client with its own ONNX Runtime, and what one adapt + recommend allocates on top. Retained
     * is averaged over several clients open together: one client's ~150 KiB is within the noise of the live heap.
     * The model is {@code layout}'s (MeLU or the collaborative one, whose client also keeps its private z).
     */
    private void heap(BenchReport report, String prefix, String storePrefix, ParamLayout layout, GlobalModel global,
                      AdaptationConfig config) {
        int n = settings.sdkHeapClients();
        List<MetafedClient> clients = new ArrayList<>(n);
        long before = HeapProbe.usedAfterGc();
        try {
            for (int i = 0; i < n; i++) {
                MetafedClient client = builder(storePrefix + i).layout(layout).build();
                clients.add(client);
                record(client, BenchFixture.MAX_SUPPORT);
                client.adapt(global, config);
                client.recommend(10, candidates);
            }
            double retained = (HeapProbe.usedAfterGc() - before) / (double) n;
            MetafedClient first = clients.get(0);
            long allocated = HeapProbe.allocatedBy(() -> {
                first.adapt(global, config);
                first.recommend(10, candidates);
            });
            report.add(BenchRow.figure(SECTION, prefix + "SDK retained heap (own ORT runtime, 90 ratings, adapted)",
                    retained / 1024.0, "KiB", "heap used after full GC with " + n + " clients open minus without, / "
                            + n));
            report.add(BenchRow.figure(SECTION, prefix + "SDK allocation per adapt " + describe(config)
                    + " support=90 + score 1000", allocated / 1024.0, "KiB", "ThreadMXBean allocated bytes"));
            report.add(BenchRow.figure(SECTION, prefix + "SDK peak heap (upper bound)",
                    (retained + allocated) / 1024.0, "KiB", "retained + allocated; ORT's native memory not included"));
        } finally {
            clients.forEach(MetafedClient::close);
        }
    }

    private static String describe(AdaptationConfig config) {
        return "k=" + config.steps();
    }

    private MetafedClient client(ModelRuntime runtime, int ratings, String name) {
        MetafedClient client = builder(name).runtime(runtime).build();
        record(client, ratings);
        return client;
    }

    private MetafedClient.Builder builder(String name) {
        return MetafedClient.builder().storePath(storeDir.resolve(name + ".store"))
                .user(fixture.data().user(fixture.user())).catalog(fixture.data()).layout(fixture.layout());
    }

    private void record(MetafedClient client, int count) {
        ClientPool.recordAll(client, fixture.ratings(count));
    }

    private Timing time(Timing.Operation op) {
        return Timing.measure(settings.warmups(), settings.samples(), settings.opsPerSample(), op);
    }

    private static String label(ModelRuntime runtime) {
        return runtime instanceof OrtModelRuntime ? "ORT" : "Java";
    }

    private static String label(CollabRuntime runtime) {
        return runtime instanceof OrtCollabRuntime ? "ORT" : "Java";
    }
}
