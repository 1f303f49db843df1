package io.metafed.simulation.network;

import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.coordinator.server.AlgorithmSettings;
import io.metafed.coordinator.server.AuthConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.simulation.Algorithm;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.evaluation.baseline.BiasBaseline;
import io.metafed.evaluation.baseline.GlobalMeanBaseline;
import io.metafed.model.protocol.StatusResponse;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ParamLayout;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.sdk.transport.DeviceKeys;
import io.metafed.sdk.transport.HttpCoordinatorTransport;
import io.metafed.sdk.transport.HttpTransportBuilder;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.simulation.SecureAggregationSettings;
import io.metafed.simulation.SimulationConfig;
import io.metafed.simulation.eval.ColdStartEvaluation;
import io.metafed.simulation.eval.EvalPoint;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Federated training over the network: virtual devices (real SDK clients) on many threads reach a coordinator
 * server — started here on a loopback port with TLS ("embedded") or already running at a URL — only through the
 * SDK's HTTP transport. The model is the configuration's: the collaborative one (devices run Federated
 * Reconstruction: their user parameters never leave them) or MeLU (federated Reptile). An embedded coordinator
 * serves the simulator's own layout and θ₀; a running one must serve the layout this dataset gives, which its
 * {@code /v1/status} announces (checked before any device enrolls). An embedded coordinator authenticates
 * clients: devices get Ed25519 keys, enroll with a token and verify every model against the server's model-signing
 * key. Afterwards the final global model and the bias baseline are evaluated on the held-out cold-start tasks.
 */
public final class NetworkSimulation {
    /** Throughput and quality of one networked run. */
    /** @param privacySpent (ε, δ) the embedded coordinator spent, null without differential privacy */
    public record Result(NetworkedRun.Result run, long startVersion, long bytesUp, long bytesDown, int devices,
            List<EvalPoint> points, PrivacyLoss privacySpent) {
        Result withPrivacySpent(PrivacyLoss loss) {
            return new Result(run, startVersion, bytesUp, bytesDown, devices, points, loss);
        }

        /** HTTP bytes both ways (inside TLS). */
        public long bytes() {
            return bytesUp + bytesDown;
        }

        public double updatesPerSecond() {
            return run.submitted() / run.seconds();
        }

        public double megabytesPerSecond() {
            return bytes() / 1e6 / run.seconds();
        }
    }

    /**
     * What devices need to join an authenticated coordinator: its model-signing key and an enrollment token. Null
     * (see {@link #runAgainst(URI, SSLContext, ColdStartSplit, long, Path)}) means a development coordinator run
     * with {@code --no-client-auth}, whose models are not verified.
     */
    public record Credentials(Ed25519PublicKey modelKey, String enrollmentToken) {
        public Credentials {
            Objects.requireNonNull(modelKey, "modelKey");
            Objects.requireNonNull(enrollmentToken, "enrollmentToken");
        }
    }

    /** How long a secure round's later stages wait for devices that vanished. */
    static final Duration STAGE_TIMEOUT = Duration.ofSeconds(5);
    private final Dataset data;
    private final SimulationConfig config;
    private final int clientThreads;
    private final boolean allUsers;
    private final Path deviceKeysDir;
    /** What the rounds run: the embedded coordinator is configured with it; a running one decides for itself. */
    private final Algorithm algorithm;

    /** @param allUsers every user is a device (holding all but its held-out query ratings), not only TRAIN users */
    public NetworkSimulation(Dataset data, SimulationConfig config, int clientThreads, boolean allUsers) {
        this(data, config, clientThreads, allUsers, null);
    }

    /**
     * @param deviceKeysDir where devices keep their Ed25519 identity keys ({@code <id>.key.pem}); a second run
     *                      against the same coordinator must use the same directory, since the coordinator refuses
     *                      a new key for an enrolled id (409 key_conflict). Null: inside the run's work directory
     */
    public NetworkSimulation(Dataset data, SimulationConfig config, int clientThreads, boolean allUsers,
            Path deviceKeysDir) {
        this(data, config, clientThreads, allUsers, deviceKeysDir, defaultAlgorithm(config.model()));
    }

    /**
     * @param algorithm a federated algorithm of the registry that trains {@code config.model()}; an embedded
     *                  coordinator announces it in every task (with FedAvg's epochs, ε and the server optimizer as
     *                  the in-process simulator uses them)
     */
    public NetworkSimulation(Dataset data, SimulationConfig config, int clientThreads, boolean allUsers,
            Path deviceKeysDir, Algorithm algorithm) {
        if (algorithm.federated() == null) {
            throw new IllegalArgumentException(algorithm + " is not federated: it has no networked form");
        }
        algorithm.requireSupports(config.model());
        this.algorithm = algorithm;
        this.deviceKeysDir = deviceKeysDir;
        this.data = data;
        this.config = config;
        this.clientThreads = clientThreads;
        this.allUsers = allUsers;
    }

    public Result runEmbedded(ColdStartSplit split, long seed, Path work) throws IOException, InterruptedException {
        Map<Integer, List<Interaction>> devices = devices(split);
        ParamLayout layout = layout();
        // θ₀ as the in-process simulator makes it: seeded, predicting the devices' mean rating; Meta-SGD's rates
        // start at the inner learning rate.
        float[] theta0 = io.metafed.model.nn.ParamInitializer.withInnerRates(SimulationRunner.initialParams(
                layout.model(), seed, (float) GlobalMeanBaseline.fit(ratingsOf(devices)).mean()), layout,
                config.innerLr());
        FederatedAlgorithm federated = algorithm.federated();
        boolean fedAvg = federated == FederatedAlgorithm.FEDAVG;
        FederationConfig federation = new FederationConfig(config.clientsPerRound(),
                Math.max(1, (config.clientsPerRound() + 1) / 2), 1.0, devices.size(), Duration.ofSeconds(60),
                Duration.ZERO, config.innerSteps(), config.innerLr(), config.batchSize(), fedAvg ? 1.0 : config.metaLr(),
                seed)
                .withSecureAggregation(config.secureAggregation().map(s -> SecAggSettings.of(s.clipNorm(),
                        STAGE_TIMEOUT).withMode(s.mode())).orElse(null))
                .withPrivacy(config.privacy().orElse(null))
                .withModel(ServedModel.withInitial(layout, theta0))
                .withAlgorithm(new AlgorithmSettings(federated, fedAvg ? config.fedAvgEpochs() : 0, 0,
                        fedAvg ? new Sgd() : config.serverOptimizer(), fedAvg ? 0 : config.annealAfter(),
                        fedAvg ? 0 : config.annealRounds()));
        String token = newToken();
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(work.resolve("coordinator"))
                .withPort(0).withTls(TlsConfig.selfSigned()).withFederation(federation)
                .withAuth(AuthConfig.tokens(List.of(token))))) {
            Result result = run(server.uri(), TlsTrust.fromPemCertificate(server.certificateFile().orElseThrow()),
                    new Credentials(server.federation().modelKey().publicKey(), token), split, devices, seed, work);
            return result.withPrivacySpent(server.federation().coordinator().privacySpent().orElse(null));
        }
    }

    /** Against a development coordinator ({@code --no-client-auth}); models are not verified. */
    public Result runAgainst(URI coordinator, SSLContext trust, ColdStartSplit split, long seed, Path work) {
        return run(coordinator, trust, null, split, devices(split), seed, work);
    }

    /** Against an authenticated coordinator: devices get keys in {@code work}, enroll with the token, verify models. */
    public Result runAgainst(URI coordinator, SSLContext trust, Credentials credentials, ColdStartSplit split,
                             long seed, Path work) {
        return run(coordinator, trust, Objects.requireNonNull(credentials, "credentials"), split, devices(split), seed,
                work);
    }

    /** A transport for all virtual devices; each device signs with its own key from {@code work/devices/keys}. */
    public static HttpCoordinatorTransport transport(URI uri, SSLContext trust, Credentials credentials, Path work) {
        return transportWithKeys(uri, trust, credentials, work.resolve("devices").resolve("keys"));
    }

    /** A transport for all virtual devices; each device signs with its own key from {@code keysDir}. */
    public static HttpCoordinatorTransport transportWithKeys(URI uri, SSLContext trust, Credentials credentials,
            Path keysDir) {
        HttpTransportBuilder b = HttpCoordinatorTransport.builder(uri);
        if (trust != null) {
            b.sslContext(trust);
        }
        if (credentials == null) {
            return b.allowUnsignedModels().build();
        }
        return b.modelKey(credentials.modelKey()).enrollmentToken(credentials.enrollmentToken())
                .deviceKeys(DeviceKeys.inDirectory(keysDir)).build();
    }

    /** A random enrollment token for an embedded coordinator. */
    public static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The layout the devices are built with: the collaborative model over this dataset's items, or MeLU on the
     * coordinator's standard schema (all six fields with the legacy year buckets and this dataset's vocabularies).
     */
    public ParamLayout layout() {
        if (config.model() == ModelFamily.MELU) {
            return algorithm.layoutFor(ParamLayout.of(io.metafed.model.nn.ModelConfig.melu(
                    FeatureSchema.standard(data.occupations().size(), data.genres().size()))));
        }
        return algorithm.layoutFor(SimulationRunner.layout(config.model(), config.collab(), data));
    }

    /** The label of the networked model in the results: the algorithm the devices run. */
    public String label() {
        return algorithm.label() + " (networked)";
    }

    /** What a coordinator announces when not told otherwise: FedRecon for the collaborative model, else FedReptile. */
    public static Algorithm defaultAlgorithm(ModelFamily model) {
        return model == ModelFamily.COLLAB ? Algorithm.FEDRECON : Algorithm.FEDREPTILE;
    }

    private Result run(URI uri, SSLContext trust, Credentials credentials, ColdStartSplit split,
                       Map<Integer, List<Interaction>> devices, long seed, Path work) {
        ParamLayout layout = layout();
        ServerProbe probe = new ServerProbe(uri, trust);
        StatusResponse status = probe.status();
        // Before any device enrolls: a coordinator of another model would refuse every task as layout_mismatch.
        ServedLayouts.requireServes(status, layout, uri);
        HttpCoordinatorTransport http = deviceKeysDir == null ? transport(uri, trust, credentials, work)
                : transportWithKeys(uri, trust, credentials, deviceKeysDir);
        long startVersion = status.modelVersion();
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, clientThreads);
             ClientPool pool = new ClientPool(workers, layout, data, devices, createDir(work.resolve("devices")));
             ColdStartEvaluation evaluation = new ColdStartEvaluation(workers, layout, data, split,
                     createDir(work.resolve("eval")))) {
            Optional<SecureAggregationSettings> secure = config.secureAggregation();
            // Devices vanish mid-protocol as --secagg-dropout says; the seed makes it repeatable.
            ChurningTransport devicesTransport = new ChurningTransport(http, secure.map(s -> Churn.seeded(
                    s.dropoutFraction(), seed)).orElse(Churn.none()));
            NetworkedRun run = new NetworkedRun(pool, layout, devicesTransport, seed, secure.isPresent());
            run.enrollAll();
            long upBefore = probe.bytesReceived();
            long downBefore = probe.bytesSent();
            NetworkedRun.Result result = run.run(startVersion + config.rounds(), () -> probe.status().modelVersion(),
                    Duration.ofMinutes(30));
            long up = since(probe.bytesReceived(), upBefore);
            long down = since(probe.bytesSent(), downBefore);
            float[] theta = http.downloadModel(layout).params();
            List<EvalPoint> points = new ArrayList<>(evaluation.evaluate(label(), algorithm.federated(), seed,
                    config.rounds(), theta, SimulationRunner.evalSteps(config), config.evalLr()));
            // The reference of the in-process tables, fitted on what the devices hold (users' biases on supports).
            BiasBaseline bias = BiasBaseline.fit(ratingsOf(devices), data.scale());
            points.addAll(evaluation.evaluateBaseline(SimulationRunner.BIAS, seed, config.rounds(),
                    p -> bias.withUsersFrom(SimulationRunner.supports(split, p), BiasBaseline.Config.DEFAULT)));
            return new Result(result, startVersion, up, down, devices.size(), points, null);
        }
    }

    private static List<Interaction> ratingsOf(Map<Integer, List<Interaction>> devices) {
        List<Interaction> all = new ArrayList<>();
        devices.values().forEach(all::addAll);
        return all;
    }

    /** Counter growth; after a coordinator restart its counters began again at 0. */
    private static long since(long now, long before) {
        return now >= before ? now - before : now;
    }

    private Map<Integer, List<Interaction>> devices(ColdStartSplit split) {
        Map<Integer, List<Interaction>> devices = new LinkedHashMap<>();
        if (allUsers) {
            // Every user's ratings except the held-out query sets of evaluation tasks.
            java.util.Set<Interaction> heldOut = new java.util.HashSet<>();
            for (Partition p : Partition.evaluation()) {
                split.tasks(p).forEach(t -> heldOut.addAll(t.query()));
            }
            for (Interaction in : data.interactions()) {
                if (!heldOut.contains(in)) {
                    devices.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
                }
            }
            return devices;
        }
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            List<Interaction> all = new ArrayList<>(t.support());
            all.addAll(t.query());
            devices.put(t.user(), all);
        }
        return devices;
    }

    private static Path createDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Unable to create " + dir, e);
        }
    }
}
