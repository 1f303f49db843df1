package io.metafed.coordinator.server;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.server.auth.ModelSigningKey;
import io.metafed.coordinator.server.auth.Revocations;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.nn.ParamLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * @param auth client authentication; the model-signing key in {@code <dataDir>/keys} is made on first open and
     *             signs every served model either way
     */
    public static Federation open(Path dataDir, FederationConfig config, AuthConfig auth, Clock clock)
            throws IOException {
        Files.createDirectories(dataDir);
        ParamLayout layout = config.layout();
        StateFile state = new StateFile(dataDir.resolve("state.json"));
        int persistedNext = state.readNextRoundId().orElse(0);
        FileCheckpointStore store = new FileCheckpointStore(dataDir.resolve("checkpoints"), layout);
        Coordinator coordinator = Coordinator.resume(layout, config.initialParams(layout), config.coordinatorConfig(),
                store, clock, persistedNext);
        ClientRegistry registry = ClientRegistry.open(dataDir.resolve("clients.log"));
        Revocations revocations = new Revocations(dataDir, clock, coordinator::checkOut);
        registry.clients().stream().filter(c -> !revocations.deviceRevoked(c)).forEach(coordinator::checkIn);
        ServerMetrics metrics = new ServerMetrics();
        RoundScheduler scheduler = new RoundScheduler(coordinator, registry, state, config, clock, metrics);
        ModelSigningKey modelKey = ModelSigningKey.loadOrCreate(dataDir.resolve("keys"));
        CoordinatorApi api = new CoordinatorApi(coordinator, scheduler, registry, metrics, clock, auth, modelKey,
                config.secureRoundSettings(), revocations);
        LOG.info("Federation in {}: model version {}, next round {}, {} enrolled clients, layout {} ({} params),"
                + " model key {}, client authentication {}, secure aggregation {}", dataDir, coordinator.currentModel().version(),
                coordinator.nextRoundId(), registry.size(), String.format("%016x", layout.id()), layout.size(),
                modelKey.publicKey().fingerprint(), auth.clientAuth() ? "on" : "OFF",
                config.secure() ? config.secureRoundSettings() : "off");
        if (!config.secure()) {
            LOG.warn("Plain updates: secure aggregation is off, so the coordinator sees every device's update"
                    + " (CoordinatorMain --plain-updates); docs/SECURITY.md, \"Encrypted updates by default\"");
        }
        return new Federation(coordinator, registry, scheduler, api, metrics, modelKey);
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
