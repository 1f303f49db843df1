package io.metafed.simulation.network;

import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.OpenRound;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.transport.HttpCoordinatorTransport;
import io.metafed.sdk.transport.SecureAggregationRound;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.sdk.transport.TransportException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A real coordinator server (TLS, client authentication, optionally secure aggregation) and synthetic devices
 * that skip training: each sends a seeded Δ and weight per (client, round), through the SDK's HTTP transport and
 * {@link SecureAggregationRound} (or plain updates), vanishing where a {@link Churn} says. Rounds are driven one
 * at a time, so a test can compare θ before and after each.
 */
final class SecureRoundHarness implements AutoCloseable {
    static final long SEED = 7;
    final CoordinatorServer server;
    final HttpCoordinatorTransport http;
    final ChurningTransport churning;
    final ParamLayout layout;
    private final ExecutorService devices;
    private int lastRound = -1;
    /** The message of each device's last failure. */
    final Map<String, String> messages = new ConcurrentHashMap<>();

    /** What one round did. */
    record RoundRun(int roundId, float[] before, long versionBefore, float[] after, long versionAfter,
            Set<String> included, Map<String, String> failures, List<String> selected) {
    }

    /** @param secure null for plain rounds */
    SecureRoundHarness(Path dir, int clients, SecAggSettings secure, Churn churn) throws Exception {
        this(dir, clients, secure, null, churn);
    }

    /** @param privacy null for rounds without differential privacy */
    SecureRoundHarness(Path dir, int clients, SecAggSettings secure, PrivacySettings privacy, Churn churn)
            throws Exception {
        FederationConfig config = new FederationConfig(clients, 2, 1.0, clients, Duration.ofSeconds(30),
                Duration.ZERO, 1, 0.05, 8, 1.0, SEED).withSecureAggregation(secure).withPrivacy(privacy);
        String token = NetworkSimulation.newToken();
        server = CoordinatorServer.start(ServerConfig.local(dir.resolve("coordinator")).withPort(0)
                .withTls(TlsConfig.selfSigned()).withFederation(config).withAuth(AuthConfig.tokens(List.of(token))));
        http = NetworkSimulation.transport(server.uri(), TlsTrust.fromPemCertificate(
                server.certificateFile().orElseThrow()), new NetworkSimulation.Credentials(
                server.federation().modelKey().publicKey(), token), dir);
        churning = new ChurningTransport(http, churn);
        layout = config.layout();
        devices = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            http.enroll(client(c));
        }
    }

    static String client(int c) {
        return "device-" + c;
    }

    /** The seeded update of {@code client} in {@code round}: small, so the clip norm never bites. */
    float[] delta(String client, int round) {
        SplittableRandom r = new SplittableRandom(SEED * 31 + client.hashCode() * 17L + round);
        float[] d = new float[layout.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 1e-3);
        }
        return d;
    }

    static int weight(String client, int round) {
        return 1 + Math.floorMod(client.hashCode() * 31 + round, 40);
    }

    /** Waits for the next round to open, has every selected device do its part, waits for the round to end. */
    RoundRun round() throws Exception {
        return round(client -> churning);
    }

    /** As {@link #round()}, each device using the secure-aggregation channel {@code channelOf} gives it. */
    RoundRun round(java.util.function.Function<String, io.metafed.sdk.transport.SecureAggregationChannel> channelOf)
            throws Exception {
        Coordinator coordinator = server.federation().coordinator();
        OpenRound open = awaitOpen(lastRound + 1);
        lastRound = open.roundId();
        RoundTask task = open.task();
        float[] before = coordinator.currentModel().params();
        long versionBefore = coordinator.currentModel().version();
        Map<String, String> failures = new ConcurrentHashMap<>();
        List<Future<?>> work = new ArrayList<>();
        for (String client : task.selectedClients()) {
            work.add(devices.submit(() -> participate(client, failures, channelOf.apply(client))));
        }
        for (Future<?> f : work) {
            f.get();
        }
        awaitClosed(task.roundId());
        return new RoundRun(task.roundId(), before, versionBefore, coordinator.currentModel().params(),
                coordinator.currentModel().version(), churning.maskedInputsSent(task.roundId()), Map.copyOf(failures),
                task.selectedClients());
    }

    private void participate(String client, Map<String, String> failures,
            io.metafed.sdk.transport.SecureAggregationChannel channel) {
        try {
            TaskResponse t = http.task(client).orElseThrow(() -> new IllegalStateException("no task for " + client));
            float[] delta = delta(client, t.roundId());
            int weight = weight(client, t.roundId());
            if (t.secure()) {
                new SecureAggregationRound(channel, client, t, new SecureRandom()).run(delta, weight);
            } else {
                http.submit(client, t, new LocalUpdate(t.modelVersion(), delta, weight, 0, 0), layout);
            }
        } catch (TransportException e) {
            failures.put(client, e.errorCode().orElse(e.getMessage()));
            messages.put(client, e.getMessage());
            if (!ChurningTransport.VANISHED.equals(e.errorCode().orElse(""))) {
                System.err.println("harness: " + client + " failed: " + e);
            }
        }
    }

    /** The first round with id at least {@code roundId} to open (rounds open as soon as all clients enrolled). */
    private OpenRound awaitOpen(int roundId) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var open = server.federation().scheduler().current();
            if (open.isPresent() && open.get().roundId() >= roundId) {
                return open.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("round " + roundId + " did not open within 5 s");
    }

    private void awaitClosed(int roundId) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            RoundStatus s = server.federation().coordinator().roundStatus().orElseThrow();
            if (s.roundId() > roundId || s.roundId() == roundId && s.state().isTerminal()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("round " + roundId + " did not close within 10 s");
    }

    @Override
    public void close() throws Exception {
        devices.shutdownNow();
        server.close();
    }
}
