package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.ParamLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 concurrent virtual clients ({@link LoadRun}) against a real {@link CoordinatorServer} over TLS loopback
 * with client authentication on, for 3 rounds in which every client is selected. Asserts that no request failed,
 * every update was accepted and the model version advanced once per round; prints latency per route and
 * throughput (surefire's LoadTest-output.txt), never asserts on timing. Bigger runs by hand:
 * {@code mvn -B -q -pl coordinator -am test -Dtest=LoadTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dload.clients=3000 -Dload.rounds=5}.
 */
@Timeout(300)
class LoadTest {
    @TempDir
    Path dir;

    @Test
    void thousandClients_threeRounds_noFailedRequestAndOneVersionPerRound() throws Exception {
        int clients = Integer.getInteger("load.clients", 1_000);
        int rounds = Integer.getInteger("load.rounds", 3);
        // Every enrolled client is selected and a round closes as soon as all have submitted.
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(clients, clients, clients, Duration.ofSeconds(120));
        ServerConfig config = ServerConfig.local(dir).withFederation(federation)
                .withAuth(AuthConfig.tokens(List.of(SignedRequests.TOKEN)));
        ParamLayout layout = federation.layout();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow(), executor);
            LoadRun run = new LoadRun(http, layout, rounds, 0x10adL, executor);
            long start = System.nanoTime();
            CompletableFuture<Void> all = CompletableFuture.allOf(IntStream.range(0, clients).mapToObj(run::client)
                    .toArray(CompletableFuture[]::new));
            // A failed client never submits, so no later round fills: stop at the first failure, not at a timeout.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!all.isDone() && run.failures.get() == 0 && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertEquals(0, run.failures.get(), () -> "failed requests, e.g. " + run.failureSamples());
            assertTrue(all.isDone(), () -> "clients not done within 240 s: " + run.accepted.get() + " updates in");
            double seconds = (System.nanoTime() - start) / 1e9;

            System.out.printf("Load: %d virtual clients x %d rounds over TLS loopback, client auth on, %d params%n",
                    clients, rounds, layout.size());
            run.latencies.summary().forEach(System.out::println);
            System.out.printf("wall %.1f s, %d updates accepted (%.0f updates/s overall), %d failed requests%n",
                    seconds, run.accepted.get(), run.accepted.get() / seconds, run.failures.get());

            assertEquals(clients * rounds, run.accepted.get());
            http.awaitModelVersion(rounds);
            assertEquals(rounds, server.federation().coordinator().currentModel().version());
            assertEquals(clients, server.federation().clients().size());
        } finally {
            executor.shutdownNow();
        }
    }
}
