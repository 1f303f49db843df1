package io.metafed.coordinator.server;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.server.auth.ModelSigningKey;
import io.metafed.coordinator.server.auth.Revocations;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.nn.ParamLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server minus the network: a coordinator resumed from {@code <dataDir>/checkpoints} and
 * {@code state.json}, the enrolled clients, the model-signing key, the round scheduler (not started) and the {@link CoordinatorApi}.
 * Tests drive it directly; {@link CoordinatorServer} puts it behind Netty.
 */
public final class Federation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    private final Coordinator coordinator;
    private final ClientRegistry registry;
    private final RoundScheduler scheduler;
    private final CoordinatorApi api;
    private final ServerMetrics metrics;
    private final ModelSigningKey modelKey;

    private Federation(Coordinator coordinator, ClientRegistry registry, RoundScheduler scheduler,
            CoordinatorApi api, ServerMetrics metrics, ModelSigningKey modelKey) {
        this.coordinator = coordinator;
        this.registry = registry;
        this.scheduler = scheduler;
        this.api = api;
        this.metrics = metrics;
        this.modelKey = modelKey;
    }

    /** The key that signs served models; its public half is what devices verify with. */
    public ModelSigningKey modelKey() {
        return modelKey;
    }

    /** {@link #open(Path, FederationConfig, AuthConfig, Clock, StartupMode)} with {@link StartupMode#INIT}. */
    public static Federation open(Path dataDir, FederationConfig config, AuthConfig auth, Clock clock)
            throws IOException {
        return open(dataDir, config, auth, clock, StartupMode.INIT);
    }

    /**
     * @param auth client authentication; the model-signing key in {@code <dataDir>/keys} signs every served model
     *             either way
     * @param mode what the start may create: the key and model version 0 of a new directory ({@code INIT}), a new
     *             key ({@code ROTATE_MODEL_KEY}), or nothing ({@code EXISTING})
     * @throws StartupException if the directory is unusable, holds state without its model-signing key, is not
     *             initialized (mode EXISTING), or holds checkpoints of which none is readable
     */
    public static Federation open(Path dataDir, FederationConfig config, AuthConfig auth, Clock clock,
            StartupMode mode) throws IOException {
        DataDirectory.prepare(dataDir);
        DataDirectory.checkIdentity(dataDir, mode);
        ParamLayout layout = config.layout();
        StateFile state = new StateFile(dataDir.resolve("state.json"));
        int persistedNext = state.readNextRoundId().orElse(0);
        FileCheckpointStore store = new FileCheckpointStore(dataDir.resolve("checkpoints"), layout,
                config.retention());
        long modelFiles = DataDirectory.modelFiles(store.directory());
        requireSameModel(store, config.model(), config.layout());
        if (modelFiles > 0 && store.latest().isEmpty()) {
            // Starting over at version 0 would reuse version numbers devices have already seen.
            throw new StartupException(store.directory().toAbsolutePath() + " holds " + modelFiles + " model"
                    + " checkpoint(s) but none is readable (see the warnings above): restore one from backup, or move"
                    + " the directory away to start a new federation on purpose");
        }
        Path keys = dataDir.resolve("keys");
        boolean fresh = !ModelSigningKey.exists(keys) && !DataDirectory.hasFederationState(dataDir);
        ModelSigningKey modelKey;
        if (mode == StartupMode.ROTATE_MODEL_KEY) {
            modelKey = ModelSigningKey.create(keys, new SecureRandom());
            LOG.warn("Model-signing key rotated: new key {} (base64 {}) published in {}; apps with the old key refuse"
                    + " models until they get this one", modelKey.publicKey().fingerprint(),
                    modelKey.publicKey().toBase64(), modelKey.publicKeyFile());
        } else if (fresh) {
            modelKey = ModelSigningKey.create(keys, new SecureRandom());
            LOG.info("Initialized data directory {}: new model-signing key {} (base64 {}) published in {}",
                    dataDir.toAbsolutePath(), modelKey.publicKey().fingerprint(), modelKey.publicKey().toBase64(),
                    modelKey.publicKeyFile());
        } else {
            modelKey = ModelSigningKey.load(keys);
        }
        Coordinator coordinator = Coordinator.resume(layout, config.initialParams(layout), config.coordinatorConfig(),
                store, clock, persistedNext);
        if (fresh) {
            // Version 0 on disk: it reads back bit for bit after every restart, and a later start that finds no
            // readable checkpoint knows history was lost rather than never written.
            store.save(coordinator.currentModel(), config.coordinatorConfig().rule().initialState(layout.size()));
        }
        ClientRegistry registry = ClientRegistry.open(dataDir.resolve("clients.log"));
        Revocations revocations = new Revocations(dataDir, clock, coordinator::checkOut);
        registry.clients().stream().filter(c -> !revocations.deviceRevoked(c)).forEach(coordinator::checkIn);
        ServerMetrics metrics = new ServerMetrics();
        RoundScheduler scheduler = new RoundScheduler(coordinator, registry, state, config, clock, metrics);
        CoordinatorApi api = new CoordinatorApi(coordinator, scheduler, registry, metrics, clock, auth, modelKey,
                config.secureRoundSettings(), revocations);
        LOG.info("Federation in {}: model version {}, next round {}, {} enrolled clients, model {}, layout {} ({} params),"
                + " model key {}, client authentication {}, secure aggregation {}, contribution bounds {}, client"
                + " sampling {}", dataDir, coordinator.currentModel().version(), coordinator.nextRoundId(),
                registry.size(), layout.spec().describe(), String.format("%016x", layout.id()), layout.size(),
                modelKey.publicKey().fingerprint(), auth.clientAuth() ? "on" : "OFF",
                config.secure() ? config.secureRoundSettings() : "off", config.effectiveBounds().describe(),
                coordinator.config().sampler().describe());
        if (!config.secure()) {
            LOG.warn("Plain updates: secure aggregation is off, so the coordinator sees every device's update"
                    + " (CoordinatorMain --plain-updates); docs/SECURITY.md, \"Encrypted updates by default\"");
        }
        return new Federation(coordinator, registry, scheduler, api, metrics, modelKey);
    }

    /**
     * Refuses to resume checkpoints of another model: loading them would fail (or, read as this layout, be
     * nonsense), and starting over at version 0 would reuse version numbers devices have already seen.
     */
    private static void requireSameModel(FileCheckpointStore store, ServedModel served, ParamLayout layout)
            throws IOException {
        java.util.Optional<FileCheckpointStore.StoredModel> stored = store.storedModel();
        if (stored.isEmpty() || stored.get().layoutId() == layout.id()) {
            return;
        }
        FileCheckpointStore.StoredModel s = stored.get();
        String what = s.family().equals(served.family()) ? "a " + s.family() + " model of another layout"
                : "a " + s.family() + " model";
        throw new StartupException(store.directory().toAbsolutePath() + " holds " + what + " (checkpoint v"
                + s.version() + ": " + s.describe() + "), but this start is configured to serve "
                + served.describe() + (layout.hasInnerRates() ? " with Meta-SGD's inner learning rates" : "")
                + ": start with the model and algorithm options the directory was created with (--model,"
                + " --catalog, --genres or --content, --item-rows, --dim, --ridge, --item-reg, --algorithm), or give a new"
                + " --data-dir for a new federation");
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public RoundScheduler scheduler() {
        return scheduler;
    }

    public CoordinatorApi api() {
        return api;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public ClientRegistry clients() {
        return registry;
    }

    @Override
    public void close() throws IOException {
        try {
            scheduler.close();
        } finally {
            registry.close();
        }
    }
}
