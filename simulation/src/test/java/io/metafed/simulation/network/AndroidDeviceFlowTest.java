package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.example.app.Recommender;
import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.ServedModel;
import io.metafed.coordinator.server.TlsConfig;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.sdk.Recommendation;
import io.metafed.sdk.transport.EligibilityCheck.DeviceConditions;
import io.metafed.sdk.transport.RoundOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole device flow as an Android app runs it, through the SDK's default transport (HttpURLConnection, the
 * adapter Android has) and the README's {@link Recommender}, against a real coordinator on loopback with TLS,
 * enrollment tokens and signed models: enroll, download and cache the model (304 on the next fetch, also after a
 * relaunch), take part in a plain and a securely aggregated round, adapt and recommend, delete all data.
 */
class AndroidDeviceFlowTest {
    private static final int DEVICES = 3;
    private static final SecAggSettings SECURE = new SecAggSettings(10.0, 1024, Duration.ofSeconds(3),
            Duration.ofMillis(200));
    private static final DeviceConditions READY = new DeviceConditions(true, true, true);

    @TempDir
    Path dir;

    private final AtomicReference<DeviceConditions> conditions = new AtomicReference<>(READY);

    @Test
    void deviceFlow_enrollCacheParticipateAdaptRecommendDelete() throws Exception {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            if (byUser.size() < DEVICES || byUser.containsKey(in.user())) {
                byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
            }
        }
        int[] candidates = data.items().keySet().stream().sorted().limit(50).mapToInt(Integer::intValue).toArray();

        // Plain rounds: all three devices in every round.
        // The coordinator serves the collaborative model over the app's catalogue, as the README's app expects.
        FederationConfig plain = new FederationConfig(DEVICES, DEVICES, 1.0, DEVICES, Duration.ofSeconds(30),
                Duration.ZERO, 1, 0.05, 8, 1.0, 7).withModel(ServedModel.collab(
                Recommender.layoutOf(data.items()).collab(), 3.53f));
        List<Path> appDirs = new ArrayList<>();
        String token = NetworkSimulation.newToken();
        try (CoordinatorServer server = start(dir.resolve("plain-server"), plain, token)) {
            List<Recommender> devices = devices(server, token, data, byUser, dir.resolve("plain"), appDirs);
            // Enrolled: two of three, so no round is open yet; the coordinator says when to ask again.
            devices.get(0).enroll();
            devices.get(1).enroll();
            Instant before = Instant.now();
            RoundOutcome none = devices.get(0).takePartInRound();
            assertEquals(RoundOutcome.Kind.NO_TASK, none.kind());
            assertTrue(none.retryAfter().isPresent(), "204 must carry Retry-After: " + none);
            assertTrue(!none.nextPoll().isBefore(before.plus(none.retryAfter().get())), none.toString());
            devices.get(2).enroll();

            // The model: fetched once, then 304 and the verified cached copy, also for a relaunched app.
            List<Recommendation> cold = devices.get(0).top(5, candidates);
            assertEquals(5, cold.size());
            assertTrue(Files.size(appDirs.get(0).resolve("model.cache")) > 4 * Recommender.layoutOf(data.items())
                    .size(), "cache holds the model");
            assertEquals(0, modelAnswers(server, 304));
            devices.get(0).top(5, candidates);
            assertEquals(1, modelAnswers(server, 304));
            devices.get(0).close();
            Recommender relaunched = device(server, token, data, byUser, 0, appDirs.get(0));
            devices.set(0, relaunched);
            relaunched.top(5, candidates);
            assertEquals(2, modelAnswers(server, 304), "a relaunched app revalidates its cached model");
            assertEquals(1, modelAnswers(server, 200));

            // Not charging: the round is skipped without asking the coordinator.
            conditions.set(new DeviceConditions(false, true, true));
            assertEquals(RoundOutcome.Kind.NOT_ELIGIBLE, devices.get(1).takePartInRound().kind());
            conditions.set(READY);

            awaitRound(server, 0);
            for (Recommender device : devices) {
                RoundOutcome outcome = device.takePartInRound();
                assertEquals(RoundOutcome.Kind.SUBMITTED, outcome.kind(), outcome.toString());
                assertEquals(0, outcome.roundId());
            }
            awaitVersion(server, 1);

            // A new model version: fetched in full again (new ETag), adapted and used to recommend.
            long full = modelAnswers(server, 200);
            long cached = modelAnswers(server, 304);
            List<Recommendation> adapted = devices.get(1).top(5, candidates);
            assertEquals(full + 1, modelAnswers(server, 200), "v1 has another ETag than the cached v0");
            assertEquals(cached, modelAnswers(server, 304));
            assertEquals(5, adapted.size());
            for (int i = 1; i < adapted.size(); i++) {
                assertTrue(adapted.get(i - 1).score() >= adapted.get(i).score(), "best first: " + adapted);
            }
            deleteAll(devices, appDirs);
        }

        // Securely aggregated rounds: the devices' parts wait on each other, so they run on their own threads.
        appDirs.clear();
        String secureToken = NetworkSimulation.newToken();
        try (CoordinatorServer server = start(dir.resolve("secure-server"), plain.withSecureAggregation(SECURE),
                secureToken);
             AutoCloseableExecutor threads = new AutoCloseableExecutor(DEVICES)) {
            List<Recommender> devices = devices(server, secureToken, data, byUser, dir.resolve("secure"), appDirs);
            devices.forEach(Recommender::enroll);
            awaitRound(server, 0);
            List<Future<RoundOutcome>> parts = new ArrayList<>();
            for (Recommender device : devices) {
                parts.add(threads.pool.submit(device::takePartInRound));
            }
            for (Future<RoundOutcome> part : parts) {
                assertEquals(RoundOutcome.Kind.SUBMITTED, part.get().kind(), part.get().toString());
            }
            awaitVersion(server, 1);
            assertTrue(server.federation().metrics().render().contains(
                    "metafed_secagg_rounds_total{result=\"aggregated\"} 1"));
            assertEquals(5, devices.get(2).top(5, candidates).size());
            deleteAll(devices, appDirs);
        }
    }

    private static CoordinatorServer start(Path data, FederationConfig config, String token) throws Exception {
        return CoordinatorServer.start(ServerConfig.local(data).withPort(0).withTls(TlsConfig.selfSigned())
                .withFederation(config).withAuth(AuthConfig.tokens(List.of(token))));
    }

    private List<Recommender> devices(CoordinatorServer server, String token, Dataset data,
            Map<Integer, List<Interaction>> byUser, Path root, List<Path> appDirs) throws Exception {
        List<Recommender> devices = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            Path appDir = Files.createDirectories(root.resolve("device-" + d)); // Android: getFilesDir()
            appDirs.add(appDir);
            Recommender device = device(server, token, data, byUser, d, appDir);
            int user = new ArrayList<>(byUser.keySet()).get(d);
            for (Interaction in : byUser.get(user)) {
                device.rate(in.item(), in.rating());
            }
            devices.add(device);
        }
        return devices;
    }

    private Recommender device(CoordinatorServer server, String token, Dataset data,
            Map<Integer, List<Interaction>> byUser, int d, Path appDir) throws Exception {
        int user = new ArrayList<>(byUser.keySet()).get(d);
        String cert = Files.readString(server.certificateFile().orElseThrow(), StandardCharsets.US_ASCII);
        return new Recommender(appDir, server.uri(), server.federation().modelKey().publicKey().toBase64(), cert,
                token, "phone-" + d, data.users().get(user), data.items(), conditions::get);
    }

    /** Deletes every device's data and checks that no file of theirs is left on the "device". */
    private static void deleteAll(List<Recommender> devices, List<Path> appDirs) throws Exception {
        for (int d = 0; d < devices.size(); d++) {
            Path appDir = appDirs.get(d);
            assertTrue(Files.exists(appDir.resolve("ratings.store")));
            assertTrue(Files.exists(appDir.resolve("keys").resolve("phone-" + d + ".key.pem")));
            devices.get(d).forgetMe();
            try (Stream<Path> left = Files.walk(appDir)) {
                assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left in " + appDir);
            }
        }
    }

    /** How many times the coordinator answered GET /v1/model with {@code status}. */
    private static long modelAnswers(CoordinatorServer server, int status) {
        Matcher m = Pattern.compile("metafed_http_requests_total\\{route=\"/v1/model\",status=\"" + status
                + "\"} (\\d+)").matcher(server.federation().metrics().render());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void awaitRound(CoordinatorServer server, int roundId) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            var open = server.federation().scheduler().current();
            if (open.isPresent() && open.get().roundId() >= roundId) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("round " + roundId + " did not open within 10 s");
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

    /** A thread pool closed with the try block. */
    private static final class AutoCloseableExecutor implements AutoCloseable {
        final ExecutorService pool;

        AutoCloseableExecutor(int threads) {
            pool = Executors.newFixedThreadPool(threads);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
