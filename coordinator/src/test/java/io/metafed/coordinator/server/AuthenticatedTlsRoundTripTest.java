package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.signature.Ed25519KeyPair;
import io.metafed.security.signature.Ed25519Verifier;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The authenticated happy path over TLS with the JDK HttpClient: token enrollment, signed tasks and updates. */
@Timeout(60)
class AuthenticatedTlsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void fullRound_signedClientsOverTls_aggregatesAndServesSignedModel() throws Exception {
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(3, 2, 3, Duration.ofSeconds(30));
        ServerConfig config = ServerConfig.local(dir).withFederation(federation)
                .withAuth(AuthConfig.tokens(List.of(SignedRequests.TOKEN)));
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            ParamLayout layout = federation.layout();
            Map<String, Ed25519KeyPair> keys = new LinkedHashMap<>();
            for (String c : TlsRoundTripTest.CLIENTS) {
                keys.put(c, Ed25519KeyPair.generate());
                HttpResponse<byte[]> r = http.sendSigned("POST", Protocol.ENROLL,
                        SignedRequests.enrollBody(c, keys.get(c), SignedRequests.TOKEN), c, CanonicalRequest.NO_ROUND,
                        keys.get(c));
                assertEquals(200, r.statusCode(), () -> new String(r.body()));
            }
            assertEquals(401, http.send("GET", Protocol.TASK + "?client=alice", null).statusCode(),
                    "unsigned task request");
            for (String c : keys.keySet()) {
                TaskResponse task = awaitTask(http, c, keys.get(c));
                byte[] body = Updates.body(layout, c, task.roundId(), 0, 0.25f, 10);
                HttpResponse<byte[]> r = http.sendSigned("POST", Protocol.UPDATE, body, c,
                        Integer.toString(task.roundId()), keys.get(c));
                assertEquals(202, r.statusCode(), () -> new String(r.body()));
            }
            http.awaitModelVersion(1);
            HttpResponse<byte[]> model = http.send("GET", Protocol.MODEL, null);
            byte[] sig = Base64.getDecoder().decode(model.headers().firstValue(Protocol.MODEL_SIGNATURE_HEADER)
                    .orElseThrow());
            assertTrue(new Ed25519Verifier(server.federation().modelKey().publicKey())
                    .verify(SignedMessages.model(1, model.body()), sig));
        }
    }

    private static TaskResponse awaitTask(TestClient http, String client, Ed25519KeyPair key) throws Exception {
        long end = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<byte[]> r = http.sendSigned("GET", Protocol.TASK + "?client=" + client, new byte[0], client,
                    CanonicalRequest.NO_ROUND, key);
            if (r.statusCode() == 200) {
                return Json.GSON.fromJson(new String(r.body()), TaskResponse.class);
            }
            assertEquals(204, r.statusCode(), () -> new String(r.body()));
            Thread.sleep(50);
        }
        throw new AssertionError("no task for " + client);
    }
}
