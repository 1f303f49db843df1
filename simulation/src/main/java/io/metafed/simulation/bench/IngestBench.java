package io.metafed.simulation.bench;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.round.RoundState;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.AuthConfig;
import io.metafed.coordinator.server.CoordinatorServer;
import io.metafed.coordinator.server.FederationConfig;
import io.metafed.coordinator.server.ServerConfig;
import io.metafed.coordinator.server.ServerTls;
import io.metafed.model.Checks;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ingestion of the real HTTPS coordinator against the machine's own TLS-loopback limit, measured in the same run.
 * {@code devices} virtual devices (each its own Ed25519 key, enrolled with a token, client authentication on) keep
 * one TLS connection each to a {@link CoordinatorServer} in this JVM. Per sample, every device is selected for the
 * open round and its signed update (the MeLU model's weight file, a seeded random Δ) is built before the clock
 * starts; then all devices post at once and the sample lasts until the last 202. The limit is the same client
 * posting the very same requests to a {@link DiscardServer} with the coordinator's TLS context and I/O threads,
 * sampled alternately with the coordinator so both see the same load from other processes. Client and servers
 * share this machine's cores, as they would in any loopback test; no device adaptation runs meanwhile.
 */
public final class IngestBench {
    public static final String SECTION = "Ingest";
    static final String TOKEN = "bench-ingest-token";
    private static final long TIMEOUT_SECONDS = 300;
    private static final int CLIENT_THREADS = 2;
    private static final java.util.function.Predicate<String> CLIENT_THREAD_NAMES = n -> n.startsWith("ingest-client");
    private static final java.util.function.Predicate<String> DISCARD_THREADS = n -> n.startsWith("discard-server");
    /** CoordinatorServer's threads: Netty's default-named event loops, its workers and its round scheduler. */
    private static final java.util.function.Predicate<String> COORDINATOR_THREADS =
            n -> n.startsWith("multiThreadIoEventLoopGroup") || n.startsWith("metafed-");
    private final int devices;
    private final int warmups;
    private final int samples;
    private final Path dir;

    public IngestBench(int devices, int warmups, int samples, Path dir) {
        this.devices = Checks.positive(devices, "devices");
        this.warmups = Checks.nonNegative(warmups, "warmups");
        this.samples = Checks.positive(samples, "samples");
        this.dir = dir;
    }

    /** One virtual device: id, key and the Δ it sends every round. */
    private record Device(String id, Ed25519KeyPair key, float[] delta) {
    }

    public void run(BenchReport report) {
        // Every enrolled device is selected, and a round closes as soon as all have submitted.
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(devices, devices, devices, Duration.ofMinutes(10));
        ServerConfig config = ServerConfig.local(dir.resolve("ingest-coordinator")).withFederation(federation)
                .withAuth(AuthConfig.tokens(List.of(TOKEN)));
        ParamLayout layout = federation.layout();
        List<Device> fleet = fleet(layout);
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            SslContext serverTls = ServerTls.load(config.tls(), config.dataDir()).context().orElseThrow();
            SslContext clientTls = SslContextBuilder.forClient()
                    .trustManager(server.certificateFile().orElseThrow().toFile()).build();
            InetSocketAddress coordinatorAddress = new InetSocketAddress("127.0.0.1", server.port());
            try (DiscardServer discard = DiscardServer.start(serverTls, config.ioThreads());
                 IngestClient toCoordinator = IngestClient.connect(coordinatorAddress, clientTls, devices,
                         CLIENT_THREADS);
                 IngestClient toDiscard = IngestClient.connect(discard.address(), clientTls, devices, CLIENT_THREADS)) {
                List<IngestClient.Request> enrollments = enrollments(fleet);
                toCoordinator.sendAll(enrollments, 200, TIMEOUT_SECONDS);
                enrollments.forEach(IngestClient.Request::release);
                Coordinator coordinator = server.federation().coordinator();
                double[] coordinatorNanos = new double[samples];
                double[] limitNanos = new double[samples];
                double[] coordinatorCpu = new double[samples];
                double[] limitCpu = new double[samples];
                double[] limitClientCpu = new double[samples];
                double[] coordinatorClientCpu = new double[samples];
                double[] limitGc = new double[samples];
                double[] coordinatorGc = new double[samples];
                double[] limitProcess = new double[samples];
                double[] coordinatorProcess = new double[samples];
                double[] limitIdle = new double[samples];
                double[] coordinatorIdle = new double[samples];
                int lastRound = -1;
                long bodyBytes = 0;
                for (int s = -warmups; s < samples; s++) {
                    RoundStatus round = awaitCollecting(coordinator, lastRound);
                    lastRound = round.roundId();
                    List<IngestClient.Request> updates = updates(layout, fleet, round);
                    bodyBytes = updates.get(0).bodyBytes();
                    // Each phase starts from an empty young generation, so it pays for the collections its own
                    // allocations cause, not for the other phase's or the preparation's.
                    System.gc();
                    long limitProcess0 = ThreadCpu.processNanos();
                    long[] limitJiffies0 = ThreadCpu.machineJiffies();
                    long cpu0 = ThreadCpu.nanos(DISCARD_THREADS);
                    long client0 = ThreadCpu.nanos(CLIENT_THREAD_NAMES);
                    long gc0 = ThreadCpu.gcMillis();
                    long limit = toDiscard.sendAll(updates, 202, TIMEOUT_SECONDS);
                    long cpu1 = ThreadCpu.nanos(DISCARD_THREADS);
                    long client1 = ThreadCpu.nanos(CLIENT_THREAD_NAMES);
                    long gc1 = ThreadCpu.gcMillis();
                    long limitProcess1 = ThreadCpu.processNanos();
                    long[] limitJiffies1 = ThreadCpu.machineJiffies();
                    System.gc();
                    long cpu2 = ThreadCpu.nanos(COORDINATOR_THREADS);
                    long gc2 = ThreadCpu.gcMillis();
                    long process0 = ThreadCpu.processNanos();
                    long[] jiffies0 = ThreadCpu.machineJiffies();
                    long ingest = toCoordinator.sendAll(updates, 202, TIMEOUT_SECONDS);
                    long process1 = ThreadCpu.processNanos();
                    long[] jiffies1 = ThreadCpu.machineJiffies();
                    long cpu3 = ThreadCpu.nanos(COORDINATOR_THREADS);
                    long client2 = ThreadCpu.nanos(CLIENT_THREAD_NAMES);
                    long gc3 = ThreadCpu.gcMillis();
                    updates.forEach(IngestClient.Request::release);
                    if (s >= 0) {
                        limitNanos[s] = limit / (double) devices;
                        coordinatorNanos[s] = ingest / (double) devices;
                        limitCpu[s] = Math.max(1, cpu1 - cpu0) / (double) devices;
                        coordinatorCpu[s] = Math.max(1, cpu3 - cpu2) / (double) devices;
                        limitClientCpu[s] = Math.max(1, client1 - client0) / (double) devices;
                        coordinatorClientCpu[s] = Math.max(1, client2 - client1) / (double) devices;
                        limitGc[s] = Math.max(1e-3, gc1 - gc0) * 1e6 / devices;
                        coordinatorGc[s] = Math.max(1e-3, gc3 - gc2) * 1e6 / devices;
                        limitProcess[s] = Math.max(1, limitProcess1 - limitProcess0) / (double) devices;
                        coordinatorProcess[s] = Math.max(1, process1 - process0) / (double) devices;
                        limitIdle[s] = idlePercent(limitJiffies0, limitJiffies1);
                        coordinatorIdle[s] = idlePercent(jiffies0, jiffies1);
                    }
                }
                awaitVersion(coordinator, warmups + samples);
                rows(report, Timing.of(coordinatorNanos), Timing.of(limitNanos), layout, bodyBytes);
                report.add(BenchRow.millis(SECTION, "TLS loopback limit: server CPU per update", Timing.of(limitCpu),
                        "CPU time of the discard server's threads during a round / updates (GC not counted)"));
                report.add(BenchRow.millis(SECTION, "coordinator ingestion: server CPU per update",
                        Timing.of(coordinatorCpu), "CPU time of the coordinator's event-loop, worker and round"
                                + " threads during a round / updates (GC not counted); load-independent"));
                report.add(BenchRow.millis(SECTION, "TLS loopback limit: client CPU per update",
                        Timing.of(limitClientCpu), "CPU time of the devices' event-loop threads / updates"));
                report.add(BenchRow.millis(SECTION, "coordinator ingestion: client CPU per update",
                        Timing.of(coordinatorClientCpu), "CPU time of the devices' event-loop threads / updates"));
                report.add(BenchRow.millis(SECTION, "TLS loopback limit: GC time per update", Timing.of(limitGc),
                        "collection time of all collectors during the round (JVM-wide) / updates"));
                report.add(BenchRow.millis(SECTION, "coordinator ingestion: GC time per update",
                        Timing.of(coordinatorGc), "collection time of all collectors during the round (JVM-wide)"
                                + " / updates"));
                report.add(BenchRow.millis(SECTION, "TLS loopback limit: JVM CPU per update", Timing.of(limitProcess),
                        "CPU time of the whole JVM (client, server, GC, JIT) during the round / updates"));
                report.add(BenchRow.millis(SECTION, "coordinator ingestion: JVM CPU per update",
                        Timing.of(coordinatorProcess), "CPU time of the whole JVM during the round / updates"));
                report.add(BenchRow.figure(SECTION, "TLS loopback limit: machine CPU idle during the round",
                        median(limitIdle), "%", "/proc/stat idle share of all CPUs, median over rounds; near 0"
                                + " means CPU-bound (by us or by other processes)"));
                report.add(BenchRow.figure(SECTION, "coordinator ingestion: machine CPU idle during the round",
                        median(coordinatorIdle), "%", "/proc/stat idle share of all CPUs, median over rounds"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ingest bench: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ingest bench interrupted", e);
        }
    }

    private void rows(BenchReport report, Timing coordinator, Timing limit, ParamLayout layout, long bodyBytes) {
        double mb = bodyBytes / 1e6;
        String shape = String.format("%,d concurrent devices, signed %,d B updates (%,d params)", devices, bodyBytes,
                layout.size());
        report.add(BenchRow.rate(SECTION, "TLS loopback limit updates/s (" + shape + ")", limit, 1, "updates/s",
                "same client and requests to a Netty TLS server (coordinator's TLS context, I/O threads) that only"
                        + " reads the body and answers 202; median over rounds"));
        report.add(BenchRow.rate(SECTION, "TLS loopback limit throughput", limit, mb, "MB/s",
                "update bodies (HTTP headers and TLS framing not counted) / time"));
        report.add(BenchRow.rate(SECTION, "coordinator ingestion updates/s (" + shape + ")", coordinator, 1,
                "updates/s", "CoordinatorServer over TLS, client auth on: every device of the round posts its"
                        + " prepared signed update at once; first write to last 202, median over rounds"));
        report.add(BenchRow.rate(SECTION, "coordinator ingestion throughput", coordinator, mb, "MB/s",
                "update bodies / time"));
        report.add(BenchRow.figure(SECTION, "coordinator ingestion / TLS loopback limit",
                100 * limit.medianNanos() / coordinator.medianNanos(), "%", "ratio of the two medians, same run"));
    }

    /** Idle share of the machine's CPU time between two {@link ThreadCpu#machineJiffies} readings, ≥ 0.01 %. */
    private static double idlePercent(long[] before, long[] after) {
        long busy = after[0] - before[0];
        long idle = after[1] - before[1];
        return busy + idle <= 0 ? 0.01 : Math.max(0.01, 100.0 * idle / (busy + idle));
    }

    private static double median(double[] values) {
        return Timing.of(values).medianNanos();
    }

    private List<Device> fleet(ParamLayout layout) {
        SplittableRandom random = new SplittableRandom(BenchFixture.SEED);
        SecureRandom keys = new SecureRandom();
        List<Device> fleet = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            float[] delta = new float[layout.size()];
            for (int j = 0; j < delta.length; j++) {
                delta[j] = (float) (random.nextDouble() * 0.02 - 0.01);
            }
            fleet.add(new Device(String.format("ingest-%05d", i), Ed25519KeyPair.generate(keys), delta));
        }
        return fleet;
    }

    private static List<IngestClient.Request> enrollments(List<Device> fleet) {
        List<IngestClient.Request> requests = new ArrayList<>(fleet.size());
        for (Device d : fleet) {
            byte[] body = ("{\"clientId\":\"" + d.id() + "\",\"publicKey\":\"" + d.key().publicKey().toBase64()
                    + "\",\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8);
            requests.add(signed(HttpMethod.POST, Protocol.ENROLL, body, d, CanonicalRequest.NO_ROUND));
        }
        return requests;
    }

    /** Every device's signed update for {@code round}, made before the sample's clock starts. */
    private static List<IngestClient.Request> updates(ParamLayout layout, List<Device> fleet, RoundStatus round) {
        List<IngestClient.Request> requests = new ArrayList<>(fleet.size());
        for (Device d : fleet) {
            byte[] body = WeightFile.write(layout, d.delta(), Map.of(Protocol.META_CLIENT, d.id(),
                    Protocol.META_ROUND, Integer.toString(round.roundId()),
                    Protocol.META_MODEL_VERSION, Long.toString(round.modelVersion()), Protocol.META_WEIGHT, "1.0"));
            requests.add(signed(HttpMethod.POST, Protocol.UPDATE, body, d, Integer.toString(round.roundId())));
        }
        return requests;
    }

    private static final SecureRandom NONCES = new SecureRandom();

    private static IngestClient.Request signed(HttpMethod method, String target, byte[] body, Device d,
            String roundId) {
        byte[] nonceBytes = new byte[Protocol.NONCE_BYTES];
        NONCES.nextBytes(nonceBytes);
        String nonce = Base64.getEncoder().encodeToString(nonceBytes);
        long now = System.currentTimeMillis();
        byte[] canonical = CanonicalRequest.of(method.name(), target, d.id(), roundId, nonce, now, body).toBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Protocol.CLIENT_HEADER, d.id());
        headers.put(Protocol.NONCE_HEADER, nonce);
        headers.put(Protocol.TIMESTAMP_HEADER, Long.toString(now));
        headers.put(Protocol.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(d.key().sign(canonical)));
        return IngestClient.Request.of(method, target, headers, body);
    }

    /** The round after {@code lastRound} once it collects; the scheduler opens it right after the last closed. */
    private static RoundStatus awaitCollecting(Coordinator coordinator, int lastRound) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
        while (System.nanoTime() < end) {
            RoundStatus status = coordinator.roundStatus().orElse(null);
            if (status != null && status.roundId() > lastRound && status.state() == RoundState.COLLECTING) {
                return status;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no round after round " + lastRound + " opened within " + TIMEOUT_SECONDS
                + " s: " + coordinator.roundStatus());
    }

    private static void awaitVersion(Coordinator coordinator, long version) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
        while (coordinator.currentModel().version() < version) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("model version " + coordinator.currentModel().version()
                        + " after the bench's rounds, expected " + version);
            }
            Thread.sleep(2);
        }
    }
}
