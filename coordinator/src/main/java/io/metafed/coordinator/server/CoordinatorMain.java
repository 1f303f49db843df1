package io.metafed.coordinator.server;

import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.server.secagg.SecAggMode;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a {@link CoordinatorServer} until SIGTERM/SIGINT. Prints the bound URL, the certificate clients must
 * trust and the model-signing public key. Client authentication is on unless {@code --no-client-auth}. The JVM stays up on Netty's non-daemon event-loop threads; the shutdown hook closes the server.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        subcommands = {io.metafed.coordinator.server.admin.DevicesCommand.class,
                io.metafed.coordinator.server.admin.TokensCommand.class},
        description = "Serve federated rounds over HTTPS (API v1, docs/PROTOCOL.md): the collaborative model"
                + " (devices run Federated Reconstruction; --catalog) or MeLU (federated Reptile; --model melu).")
public final class CoordinatorMain implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "8443", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--data-dir", defaultValue = "coordinator-data",
            description = "Checkpoints, state.json, clients.log, dev certificate (default ${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--tls-cert", description = "PEM certificate (chain); default: self-signed in <data-dir>/tls.")
    Path tlsCert;
    @Option(names = "--tls-key", description = "PEM PKCS#8 private key matching --tls-cert.")
    Path tlsKey;
    @Option(names = "--insecure-plaintext", description = "Serve plain HTTP. Only for tests and trusted networks.")
    boolean plaintext;
    @Option(names = "--clients-per-round", defaultValue = "10", description = "Updates a round counts (default ${DEFAULT-VALUE}).")
    int clientsPerRound;
    @Option(names = "--min-updates", defaultValue = "2", description = "Fewest updates to aggregate (default ${DEFAULT-VALUE}).")
    int minUpdates;
    @Option(names = "--min-clients", description = "Enrolled clients before a round opens (default: the selection size,"
            + " ceil(clients-per-round x over-selection), so no round runs on a handful of devices; docs/SECURITY.md).")
    Integer minClients;
    @Option(names = "--over-selection", defaultValue = "1.3", description = "Selection factor >= 1 (default ${DEFAULT-VALUE}).")
    double overSelection;
    @Option(names = "--round-seconds", defaultValue = "60", description = "Round duration (default ${DEFAULT-VALUE}).")
    double roundSeconds;
    @Option(names = "--pause-seconds", defaultValue = "0", description = "Pause between rounds (default ${DEFAULT-VALUE}).")
    double pauseSeconds;
    @Option(names = "--inner-steps", defaultValue = "5", description = "Client SGD steps (default ${DEFAULT-VALUE}).")
    int innerSteps;
    @Option(names = "--inner-lr", defaultValue = "0.05", description = "Client learning rate (default ${DEFAULT-VALUE}).")
    double innerLr;
    @Option(names = "--batch-size", description = "Client batch size (default: " + ModelOptions.COLLAB_BATCH
            + " for collab, " + ModelOptions.MELU_BATCH + " for melu).")
    Integer batchSize;
    @Option(names = "--algorithm", paramLabel = "NAME", description = "What every round runs: fedavg, fedreptile,"
            + " fomaml, meta-sgd (MeLU) or fedrecon, fedavg (collab); devices refuse one they do not know. Default: the"
            + " model's (fedrecon for collab, fedreptile for melu). docs/PROTOCOL.md, \"Algorithms\".")
    String algorithm;
    @Option(names = "--local-epochs", defaultValue = "0", paramLabel = "E", description = "fedavg: local passes over"
            + " each device's ratings instead of --inner-steps (default: 0, the inner steps).")
    int localEpochs;
    @Option(names = "--meta-step-size", defaultValue = "0", paramLabel = "BETA", description = "fomaml, meta-sgd: the"
            + " devices' outer step (default: 0, the inner learning rate).")
    double metaStepSize;
    @Option(names = "--server-optimizer", defaultValue = "sgd", paramLabel = "sgd|momentum|adam", description =
            "How the round's mean update moves θ (with --meta-lr as the rate; default ${DEFAULT-VALUE}).")
    String serverOptimizer;
    @Option(names = "--meta-lr", defaultValue = "1.0", description = "Reptile epsilon (default ${DEFAULT-VALUE}).")
    double metaLr;
    @Option(names = "--anneal-rounds", defaultValue = "0", paramLabel = "N", description = "Anneal epsilon linearly"
            + " from --meta-lr to 5%% of it over N rounds, then hold it there (Reptile's annealing, for a run of known"
            + " length). Default: 0, constant epsilon.")
    int annealRounds;
    @Option(names = "--anneal-after", defaultValue = "0", paramLabel = "H", description = "With --anneal-rounds:"
            + " hold epsilon at --meta-lr for the first H rounds (default: ${DEFAULT-VALUE}).")
    int annealAfter;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial model (default ${DEFAULT-VALUE}); clients are sampled with SecureRandom.")
    long seed;
    @Option(names = "--workers", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = "--enrollment-token", description = "An operator-issued enrollment token (reusable). Prefer"
            + " --enrollment-token-file: command lines are visible to other local users.")
    String enrollmentToken;
    @Option(names = "--enrollment-token-file", description = "File with enrollment tokens, one per line: <token>"
            + " [name=NAME] [max=N] (max=N: at most N devices, max=1: single use; '#' comments).")
    Path enrollmentTokenFile;
    @Option(names = "--enroll-limit-address", defaultValue = "20", paramLabel = "N", description = "Enrollments one"
            + " source address may make in a burst and per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int enrollLimitAddress;
    @Option(names = "--enroll-limit-token", defaultValue = "600", paramLabel = "N", description = "New devices one"
            + " token may enroll in a burst and per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int enrollLimitToken;
    @Option(names = "--secure-aggregation", description = "Aggregate every round with secure aggregation (Bonawitz"
            + " et al. 2017): the coordinator learns only the sum of the clients' updates. The default; kept so"
            + " existing command lines work.")
    boolean secureAggregation;
    @Option(names = "--plain-updates", description = "Serve plain rounds: devices send their updates in the clear"
            + " (inside TLS) and the coordinator sees each one. Logged as a WARN at start.")
    boolean plainUpdates;
    @Option(names = "--secagg-grace-seconds", defaultValue = "1", paramLabel = "G", description = "Secure"
            + " aggregation: once t clients answered a stage, wait G s more for the rest (default ${DEFAULT-VALUE}).")
    double secaggGraceSeconds;
    @Option(names = "--secagg-mode", defaultValue = "auto", paramLabel = "MODE", description = "Secure-aggregation"
            + " protocol: bonawitz (every pair of devices), secagg-plus (neighbours in a sparse graph, Bell et al. 2020)"
            + " or auto (secagg-plus from " + SecAggMode.AUTO_MIN_CLIENTS + " devices per round; default)")
    String secaggMode;
    @Option(names = "--secagg-clip", defaultValue = "10.0", paramLabel = "C",
            description = "Secure aggregation: devices clip updates to L2 norm C (default ${DEFAULT-VALUE}).")
    double secaggClip;
    @Option(names = "--secagg-stage-seconds", defaultValue = "10", paramLabel = "S",
            description = "Secure aggregation: how long each stage after the key stage waits at most (default"
                    + " ${DEFAULT-VALUE}).")
    double secaggStageSeconds;
    @Option(names = "--request-deadline-seconds", defaultValue = "30", paramLabel = "S", description = "A request"
            + " (and a new connection's TLS handshake) must arrive whole within S s of its first byte (default"
            + " ${DEFAULT-VALUE}).")
    double requestDeadlineSeconds;
    @Option(names = "--max-connections-per-address", defaultValue = "64", paramLabel = "N",
            description = "Open connections one IP address may hold (default ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;
    @Option(names = "--max-connections", defaultValue = "10000", paramLabel = "N",
            description = "Open connections in total (default ${DEFAULT-VALUE}).")
    int maxConnections;
    @Mixin
    ModelOptions modelOptions = new ModelOptions();
    @Mixin
    PrivacyOptions dp = new PrivacyOptions();
    @Mixin
    BoundsOptions boundsOptions = new BoundsOptions();
    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "10",
            description = "Keep the newest N model checkpoints (>= 2) (default ${DEFAULT-VALUE}).")
    int keepLast;
    @Option(names = "--keep-every-checkpoint", paramLabel = "K", defaultValue = "100",
            description = "Also keep every K-th version for history; 1 keeps all (default ${DEFAULT-VALUE}).")
    int keepEvery;
    @Option(names = "--init", description = "Initialize a new data directory: create the model-signing key (published"
            + " in <data-dir>/keys/model-signing-key.pub.pem) and model version 0. An initialized directory is used as"
            + " it is; one with state but no key is refused.")
    boolean init;
    @Option(names = "--rotate-model-key", description = "Replace the model-signing key with a new one and publish it"
            + " (the old files are kept as *.retired-<millis>). Apps with the old public key refuse new models.")
    boolean rotateModelKey;
    @Option(names = "--no-client-auth", description = "Accept unsigned requests and enrollment without a token."
            + " Only for development and tests.")
    boolean noClientAuth;

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The command with operator-friendly failure output: a usage error or an expected start-up failure (port in use,
     * missing file, unusable data directory, damaged state) prints one line on stderr and exits non-zero (2 for
     * usage, 1 otherwise); only unexpected faults print a stack trace.
     */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new CoordinatorMain());
        cmd.setParameterExceptionHandler((e, args) -> {
            // cmd's stream, not e's: usage errors found in call() carry a CommandLine of their own (see usage()).
            cmd.getErr().println("coordinator: " + e.getMessage() + " (--help lists the options)");
            return 2;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof StartupException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException) {
                Throwable shown = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
                commandLine.getErr().println("coordinator: " + (e instanceof StartupException ? e.getMessage()
                        : OperatorMessages.describe(shown)));
                return 1;
            }
            throw e;
        });
        return cmd;
    }

    @Override
    public Integer call() throws Exception {
        if (init && rotateModelKey) {
            throw usage("--init and --rotate-model-key are separate steps; give one");
        }
        // Production default: wait for a full cohort (docs/SECURITY.md, "Operator output").
        int selection = (int) Math.ceil(clientsPerRound * overSelection);
        ServedModel model = model();
        FederationConfig federation = new FederationConfig(clientsPerRound, minUpdates, overSelection,
                minClients == null ? Math.max(minUpdates, selection) : minClients, millis(roundSeconds, "--round-seconds"),
                millis(pauseSeconds, "--pause-seconds"), innerSteps, innerLr,
                batchSize != null ? batchSize : modelOptions.defaultBatchSize(), metaLr, seed)
                .withSecureAggregation(secureAggregation()).withPrivacy(privacy()).withBounds(bounds())
                .withRetention(retention()).withModel(model).withAlgorithm(algorithm(model));
        TlsConfig tls = plaintext ? TlsConfig.insecurePlaintext()
                : tlsCert == null && tlsKey == null ? TlsConfig.selfSigned() : TlsConfig.files(tlsCert, tlsKey);
        ServerConfig config = new ServerConfig(host, port, dataDir, tls, federation, 2, workers, auth(),
                connectionLimits());
        CoordinatorServer server = CoordinatorServer.start(config, java.time.Clock.systemUTC(),
                init ? StartupMode.INIT : rotateModelKey ? StartupMode.ROTATE_MODEL_KEY : StartupMode.EXISTING);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("coordinator: shutdown failed: " + e);
            }
        }, "metafed-shutdown"));
        System.out.println("Metafed coordinator listening on " + server.uri());
        System.out.println("Model: " + model.describe() + "; algorithm "
                + federation.training().algorithm().wireName() + " (" + federation.layout().size() + " shared parameters)");
        server.certificateFile().ifPresent(c -> System.out.println("TLS certificate (trust this): " + c));
        System.out.println("Model signing key (Ed25519, base64): "
                + server.federation().modelKey().publicKey().toBase64());
        System.out.println("Model signing key file (ship with apps): " + server.federation().modelKey().publicKeyFile());
        if (noClientAuth) {
            System.out.println("WARNING: client authentication is OFF (--no-client-auth)");
        }
        if (plainUpdates) {
            System.out.println("WARNING: plain updates (--plain-updates): the coordinator sees every device's update");
        }
        if (federation.privacy() != null) {
            System.out.println("Differential privacy: " + server.federation().coordinator().config().rule().describe());
        }
        System.out.println("Data directory: " + dataDir.toAbsolutePath());
        System.out.flush();
        return 0;
    }

    private io.metafed.coordinator.server.handler.ConnectionLimits connectionLimits() {
        try {
            return new io.metafed.coordinator.server.handler.ConnectionLimits(millis(requestDeadlineSeconds,
                    "--request-deadline-seconds"), maxConnectionsPerAddress, maxConnections);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The --algorithm choice with its settings, checked against the served model; null: the model's default. */
    private AlgorithmSettings algorithm(ServedModel model) {
        if (algorithm == null && localEpochs == 0 && metaStepSize == 0 && serverOptimizer.equals("sgd")
                && annealRounds == 0 && annealAfter == 0) {
            return null;
        }
        try {
            io.metafed.model.algorithm.FederatedAlgorithm chosen = algorithm == null
                    ? io.metafed.model.algorithm.FederatedAlgorithm.defaultFor(model.layout())
                    : io.metafed.model.algorithm.FederatedAlgorithm.of(algorithm);
            chosen.requireSupports(model.layout().spec());
            return new AlgorithmSettings(chosen, localEpochs, metaStepSize,
                    io.metafed.coordinator.aggregate.AggregationRules.optimizer(serverOptimizer), annealAfter, annealRounds);
        } catch (IllegalArgumentException e) {
            throw usage("--algorithm/--local-epochs/--meta-step-size/--server-optimizer/--anneal-*: "
                    + e.getMessage());
        }
    }

    private ServedModel model() {
        try {
            return modelOptions.served();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private PrivacySettings privacy() {
        try {
            return dp.settings().orElse(null);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private io.metafed.coordinator.model.CheckpointRetention retention() {
        try {
            return new io.metafed.coordinator.model.CheckpointRetention(keepLast, keepEvery);
        } catch (IllegalArgumentException e) {
            throw usage("--keep-checkpoints / --keep-every-checkpoint: " + e.getMessage());
        }
    }

    private io.metafed.coordinator.round.ContributionBounds bounds() {
        try {
            return boundsOptions.bounds();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private SecAggSettings secureAggregation() {
        if (plainUpdates) {
            if (secureAggregation) {
                throw usage("--plain-updates and --secure-aggregation contradict each other");
            }
            return null;
        }
        Duration stage = millis(secaggStageSeconds, "--secagg-stage-seconds");
        Duration grace = millis(secaggGraceSeconds, "--secagg-grace-seconds");
        try {
            return new SecAggSettings(secaggClip, bounds().maxWeight(), stage,
                    io.metafed.model.protocol.Protocol.SECAGG_MAX_WAIT, grace.compareTo(stage) > 0 ? stage : grace,
                    SecAggMode.parse(secaggMode));
        } catch (IllegalArgumentException e) {
            throw usage("--secagg-clip / --secagg-stage-seconds / --secagg-mode: " + e.getMessage());
        }
    }

    private AuthConfig auth() throws java.io.IOException {
        if (noClientAuth) {
            if (enrollmentToken != null || enrollmentTokenFile != null) {
                throw usage("--no-client-auth cannot be combined with enrollment tokens");
            }
            return AuthConfig.disabled();
        }
        java.util.List<io.metafed.coordinator.server.auth.EnrollmentToken> tokens = new java.util.ArrayList<>();
        try {
            if (enrollmentToken != null) {
                tokens.add(io.metafed.coordinator.server.auth.EnrollmentToken.parse(enrollmentToken.trim()));
            }
            if (enrollmentTokenFile != null) {
                tokens.addAll(AuthConfig.readTokenFile(enrollmentTokenFile));
            }
        } catch (java.io.IOException e) {
            throw new StartupException("cannot read --enrollment-token-file " + OperatorMessages.describe(e));
        } catch (IllegalArgumentException e) {
            throw usage((enrollmentTokenFile == null ? "--enrollment-token: " : "") + e.getMessage());
        }
        if (tokens.isEmpty()) {
            throw usage("client authentication needs --enrollment-token or --enrollment-token-file with at least one"
                    + " token (or --no-client-auth for development)");
        }
        try {
            return new AuthConfig(true, tokens, new io.metafed.coordinator.server.auth.EnrollmentLimits(
                    enrollLimitAddress, enrollLimitToken));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(new CoordinatorMain()), message);
    }

    private static Duration millis(double seconds, String option) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new CommandLine.ParameterException(new CommandLine(new CoordinatorMain()),
                    option + " must be a finite number >= 0, found " + seconds);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
