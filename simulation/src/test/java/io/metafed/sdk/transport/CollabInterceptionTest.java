package io.metafed.sdk.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.transport.Interception.Captured;
import io.metafed.sdk.transport.Interception.Input;
import io.metafed.sdk.transport.Interception.Recorder;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.network.NetworkSimulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Everything a collaborative-model device sends, intercepted: real SDK clients (FedRecon through
 * {@link FederatedParticipant}) against a real coordinator on loopback with TLS and client authentication, once in a
 * plain round and once securely aggregated. A recording {@link HttpExchange} around the SDK's own
 * {@link UrlConnectionExchange} keeps every request body, and the package-private input tap of
 * {@link SecureAggregationRound} every vector handed to the secure-aggregation client before masking. No private
 * parameter may be among them: an update or secure input has exactly the shared size, equals the device's Δ of the
 * shared parameters (re-derived by adapting again on the same θ), and no request carries the user's z = [p_u, b_u]
 * (reconstructed here with {@link CollabReference} and checked to be the device's own by its predictions) or a run
 * of the user's ratings or rated items.
 */
@Timeout(120)
class CollabInterceptionTest {
    private static final int DEVICES = 3;
    private static final long SEED = 23;
    /** The rounds' inner loop: what every task asks and {@link #delta} repeats. */
    private static final int STEPS = 3;
    private static final float LR = 0.05f;
    private static final int BATCH = 16;
    private static final SecAggSettings SECURE = new SecAggSettings(10.0, 1024, Duration.ofSeconds(5),
            Duration.ofMillis(200));

    @TempDir
    Path dir;

    /** A device under test: its SDK client, its participant, and the user's ratings. */
    record Device(int user, MetafedClient client, FederatedParticipant participant, List<Interaction> ratings) {
    }

    @Test
    void collabDevices_plainAndSecureRounds_sendNoPrivateParameterAndNoRating() throws Exception {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        ParamLayout layout = SimulationRunner.layout(ModelFamily.COLLAB, CollabSettings.DEFAULT, data);
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            if (byUser.size() < DEVICES || byUser.containsKey(in.user())) {
                byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
            }
        }
        FederationConfig plain = new FederationConfig(DEVICES, DEVICES, 1.0, DEVICES, Duration.ofSeconds(30),
                Duration.ZERO, STEPS, LR, BATCH, 1.0, SEED).withModel(ServedModel.collab(layout.collab(), 3.5f));
        for (FederationConfig config : List.of(plain, plain.withSecureAggregation(SECURE))) {
            String name = config.secure() ? "secure" : "plain";
            List<Input> inputs = new ArrayList<>();
            String token = NetworkSimulation.newToken();
            try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(dir.resolve(name + "-server"))
                    .withPort(0).withTls(TlsConfig.selfSigned()).withFederation(config)
                    .withAuth(AuthConfig.tokens(List.of(token))))) {
                SSLContext trust = TlsTrust.fromPemCertificate(server.certificateFile().orElseThrow());
                Recorder recorder = new Recorder(new UrlConnectionExchange(server.uri(), trust,
                        Duration.ofSeconds(10), Duration.ofSeconds(60)));
                HttpCoordinatorTransport transport = HttpCoordinatorTransport.builder(server.uri()).exchange(recorder)
                        .modelKey(server.federation().modelKey().publicKey()).enrollmentToken(token)
                        .deviceKeys(DeviceKeys.inDirectory(dir.resolve(name + "-keys"))).build();
                List<Device> devices = devices(data, layout, byUser, transport, dir.resolve(name), inputs);
                devices.forEach(d -> d.participant().enroll());
                takePart(devices);
                awaitVersion(server, 1);

                List<Captured> sent = recorder.snapshot();
                float[] theta = servedModel(sent, layout);
                Map<String, float[]> privates = new LinkedHashMap<>();
                for (Device d : devices) {
                    privates.put(d.participant().clientId(), deviceZ(d, theta, layout, data));
                }
                Interception.assertNoPrivateParameters(layout, sent, inputs, privates, ratingsOf(devices));
                if (config.secure()) {
                    assertTrue(sent.stream().noneMatch(c -> c.request().path().equals(Protocol.UPDATE)),
                            "a secure round has no plain update");
                    assertTrue(sent.stream().anyMatch(c -> c.request().path().startsWith("/v1/secagg/")),
                            "the device ran the secure-aggregation stages");
                    assertEquals(DEVICES, inputs.size(), "one secure input per device");
                    assertSecureInputsAreTheSharedUpdates(layout, inputs, devices, theta);
                    checkTheCheckCanFail(layout, sent, inputs, privates, devices, true);
                } else {
                    assertTrue(inputs.isEmpty(), "plain rounds have no secure input");
                    assertUpdatesAreTheSharedUpdates(layout, sent, devices, theta);
                    checkTheCheckCanFail(layout, sent, inputs, privates, devices, false);
                    assertPriorUpdateScalesZ(layout, sent, privates, theta);
                }
                devices.forEach(d -> d.client().close());
            }
        }
    }

    private List<Device> devices(Dataset data, ParamLayout layout, Map<Integer, List<Interaction>> byUser,
            HttpCoordinatorTransport transport, Path stores, List<Input> inputs) throws IOException {
        Files.createDirectories(stores);
        List<Device> devices = new ArrayList<>();
        for (Map.Entry<Integer, List<Interaction>> e : byUser.entrySet()) {
            // The plain-Java reference as runtime: its z is reproduced here bit for bit (ORT's to ~1e-6).
            MetafedClient client = MetafedClient.builder().storePath(stores.resolve("user-" + e.getKey() + ".store"))
                    .user(data.user(e.getKey())).catalog(data).layout(layout)
                    .collabRuntime(new CollabReference(layout)).build();
            ClientPool.recordAll(client, e.getValue());
            FederatedParticipant participant = new FederatedParticipant("user-" + e.getKey(), client, layout,
                    transport, SEED);
            participant.tapSecureInputs((id, task, words) -> {
                synchronized (inputs) {
                    inputs.add(new Input(id, task, words));
                }
            });
            devices.add(new Device(e.getKey(), client, participant, e.getValue()));
        }
        return devices;
    }

    /** Every device takes part once, on its own thread: a secure round's stages wait for all of them. */
    private static void takePart(List<Device> devices) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        try {
            List<Future<RoundOutcome>> parts = new ArrayList<>();
            for (Device d : devices) {
                parts.add(pool.submit(() -> {
                    long end = System.nanoTime() + 30_000_000_000L;
                    while (System.nanoTime() < end) {
                        RoundOutcome outcome = d.participant().participate();
                        if (outcome.submitted()) {
                            return outcome;
                        }
                        Thread.sleep(20);
                    }
                    throw new AssertionError("device " + d.user() + " got no round within 30 s");
                }));
            }
            for (Future<RoundOutcome> part : parts) {
                assertEquals(0, part.get().roundId());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** θ as the devices downloaded it (the round's model, version 0). */
    private static float[] servedModel(List<Captured> sent, ParamLayout layout) {
        for (Captured c : sent) {
            if (c.request().path().equals(Protocol.MODEL) && c.response().status() == 200) {
                return WeightFile.read(c.response().body(), layout).params();
            }
        }
        throw new AssertionError("no model download among " + sent.size() + " requests");
    }

    /**
     * The user's private z = [p_u, b_u] on the device: reconstructed on all its ratings against θ, as the device
     * keeps it for scoring; checked to be the device's own through its predictions, bit for bit.
     */
    private static float[] deviceZ(Device d, float[] theta, ParamLayout layout, Dataset data) {
        CollabEncoder encoder = new CollabEncoder(layout.collab(), data, data.genres().size());
        CollabReference reference = new CollabReference(layout);
        float[] z = reference.reconstruct(theta, encoder.encode(d.ratings()));
        assertEquals(layout.privateSize(), z.length);
        int[] items = d.ratings().stream().mapToInt(Interaction::item).limit(20).toArray();
        assertArrayEquals(reference.predict(theta, z, encoder.candidates(items)), d.client().predict(items),
                "the reconstructed z is the device's own");
        return z;
    }

    /** Each plain update is exactly the device's Δ of the shared parameters. */
    private static void assertUpdatesAreTheSharedUpdates(ParamLayout layout, List<Captured> sent,
            List<Device> devices, float[] theta) {
        int updates = 0;
        for (Captured c : sent) {
            if (!c.request().path().equals(Protocol.UPDATE)) {
                continue;
            }
            Weights w = WeightFile.read(c.request().body(), layout);
            Device d = device(devices, w.metadata().get(Protocol.META_CLIENT));
            int round = Integer.parseInt(w.metadata().get(Protocol.META_ROUND));
            assertArrayEquals(delta(d, layout, theta, round), w.params(), "update of " + d.user());
            updates++;
        }
        assertEquals(DEVICES, updates, "one update per device");
    }

    /** Each secure input is exactly the fixed-point encoding of the device's Δ and its weight. */
    private static void assertSecureInputsAreTheSharedUpdates(ParamLayout layout, List<Input> inputs,
            List<Device> devices, float[] theta) {
        for (Input in : inputs) {
            Device d = device(devices, in.clientId());
            SecureAggregationTask p = in.task().secureAggregation();
            FixedPointEncoder encoder = new FixedPointEncoder(p.clipNorm(), p.maxWeight(), p.maxClients());
            assertArrayEquals(encoder.encode(delta(d, layout, theta, in.task().roundId()),
                    Math.min(d.ratings().size(), p.maxWeight())), in.words(), "secure input of " + d.user());
        }
    }

    /**
     * The device's Δ for round {@code round}, adapted again on the same θ with the task's settings (the SDK's seed
     * for that round); adaptation is deterministic, so this is what the device computed.
     */
    private static float[] delta(Device d, ParamLayout layout, float[] theta, int round) {
        return d.client().adapt(GlobalModel.of(0, layout, theta), new AdaptationConfig(STEPS, LR, BATCH,
                FederatedParticipant.mix(SEED, round))).delta();
    }

    /**
     * The checks above must be able to fail: a device that appended its z to an update, or to its secure input,
     * is caught. (Without these the test would pass for a checker that looks at nothing.)
     */
    private static void checkTheCheckCanFail(ParamLayout layout, List<Captured> sent, List<Input> inputs,
            Map<String, float[]> privates, List<Device> devices, boolean secure) {
        float[] z = privates.values().iterator().next();
        if (secure) {
            Input first = inputs.get(0);
            int[] appended = Arrays.copyOf(first.words(), first.words().length + z.length);
            List<Input> leaky = new ArrayList<>(inputs);
            leaky.set(0, new Input(first.clientId(), first.task(), appended));
            assertThrows(AssertionFailedError.class,
                    () -> Interception.assertNoPrivateParameters(layout, sent, leaky, privates, ratingsOf(devices)));
            return;
        }
        Captured update = sent.stream().filter(c -> c.request().path().equals(Protocol.UPDATE)).findFirst()
                .orElseThrow();
        byte[] body = update.request().body();
        // z appended to the update's bytes.
        byte[] appended = Arrays.copyOf(body, body.length + 4 * z.length);
        System.arraycopy(Interception.floatsLE(z), 0, appended, body.length, 4 * z.length);
        // z in place of the last shared values: a well-formed update of the right size that carries z.
        Weights w = WeightFile.read(body, layout);
        float[] params = w.params();
        System.arraycopy(z, 0, params, params.length - z.length, z.length);
        byte[] substituted = WeightFile.write(layout, params, w.metadata());
        for (byte[] leak : List.of(appended, substituted)) {
            List<Captured> leaky = new ArrayList<>(sent);
            leaky.set(sent.indexOf(update), new Captured(new HttpExchange.Request("POST", update.request().target(),
                    update.request().headers(), leak), update.response()));
            assertThrows(AssertionFailedError.class,
                    () -> Interception.assertNoPrivateParameters(layout, leaky, inputs, privates, ratingsOf(devices)));
        }
    }

    /**
     * What the check does not claim: FedRecon moves the prior m toward the user's z by a fixed rate
     * (Δm = 0.1·(z − m), {@code CollabDevice.PRIOR_RATE}), so a coordinator that sees one plain update can solve
     * for z. z itself is never sent, but plain rounds do not hide it; secure aggregation (the default) shows the
     * coordinator only the sum. Asserted so that a change of this property is noticed and documented.
     */
    private static void assertPriorUpdateScalesZ(ParamLayout layout, List<Captured> sent,
            Map<String, float[]> privates, float[] theta) {
        TensorSlot prior = layout.slot(ParamLayout.PRIOR);
        for (Captured c : sent) {
            if (!c.request().path().equals(Protocol.UPDATE)) {
                continue;
            }
            Weights w = WeightFile.read(c.request().body(), layout);
            float[] z = privates.get(w.metadata().get(Protocol.META_CLIENT));
            float[] delta = w.params();
            for (int k = 0; k < prior.size(); k++) {
                float recovered = theta[prior.offset() + k] + delta[prior.offset() + k] / 0.1f;
                assertEquals(z[k], recovered, 1e-5 * Math.max(1, Math.abs(z[k])), "z[" + k + "] from Δm");
            }
        }
    }

    private static Map<String, List<Interaction>> ratingsOf(List<Device> devices) {
        Map<String, List<Interaction>> ratings = new LinkedHashMap<>();
        devices.forEach(d -> ratings.put(d.participant().clientId(), d.ratings()));
        return ratings;
    }

    private static Device device(List<Device> devices, String clientId) {
        return devices.stream().filter(d -> d.participant().clientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + clientId));
    }

    private static void awaitVersion(CoordinatorServer server, long version) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            if (server.federation().coordinator().currentModel().version() >= version) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("model version " + version + " not reached within 30 s");
    }
}
