package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A full round over a real loopback socket and TLS with the self-signed development certificate. */
@Timeout(60)
class TlsRoundTripTest {
    static final List<String> CLIENTS = List.of("alice", "bob", "carol");

    @TempDir
    Path dir;

    @Test
    void fullRound_overTls_aggregatesAndAdvancesModelVersion() throws Exception {
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(3, 2, 3, Duration.ofSeconds(30));
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(dir).withFederation(federation))) {
            assertTrue(server.uri().toString().startsWith("https://127.0.0.1:"), server.uri().toString());
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            ParamLayout layout = federation.layout();
            for (String c : CLIENTS) {
                http.enroll(c);
            }
            Weights before = http.model(layout);
            for (String c : CLIENTS) {
                TaskResponse task = http.awaitTask(c);
                assertEquals(0, task.modelVersion());
                HttpResponse<byte[]> r = http.update(Updates.body(layout, c, task.roundId(), 0, 0.25f, 10));
                assertEquals(202, r.statusCode(), () -> new String(r.body()));
            }
            http.awaitModelVersion(1);

            Weights after = http.model(layout);
            assertEquals("1", after.metadata().get("model.version"));
            float[] theta0 = before.params();
            float[] theta1 = after.params();
            for (int i = 0; i < theta0.length; i++) {
                assertEquals(theta0[i] + 0.25f, theta1[i], 1e-5f, "θ₁ = θ₀ + ε·Δ̄ at " + i); // ε = 1
            }
            String metrics = http.metrics();
            assertTrue(metrics.contains("metafed_rounds_total{result=\"aggregated\"} 1"), metrics);
            assertTrue(metrics.contains("metafed_round_participants 3"), metrics);
            assertTrue(metrics.contains("metafed_http_requests_total{route=\"/v1/update\",status=\"202\"} 3"),
                    metrics);
        }
    }
}
