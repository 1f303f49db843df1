package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.ModelKeyResponse;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519KeyPair;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client authentication through the real pipeline: tokens, signatures, replays, skew, signer binding. */
class ClientAuthTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final Map<String, Ed25519KeyPair> keys = new HashMap<>();
    Federation federation;
    EmbeddedHttp http;
    ParamLayout layout;

    @BeforeEach
    void open() throws Exception {
        federation = Federation.open(dir, ApiPipelineTest.CONFIG, AuthConfig.tokens(List.of(SignedRequests.TOKEN)),
                clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        layout = federation.coordinator().layout();
        for (String c : List.of("c0", "c1", "c2")) {
            keys.put(c, Ed25519KeyPair.generate());
        }
    }

    @AfterEach
    void close() throws Exception {
        http.server.finishAndReleaseAll();
        federation.close();
    }

    private Reply send(String method, String target, byte[] body, String client, String round, Ed25519KeyPair key,
            long ts, String nonce) {
        return http.send(SignedRequests.netty(method, target, body,
                SignedRequests.headers(method, target, body, client, round, key, ts, nonce)));
    }

    private Reply enroll(String client, Ed25519KeyPair key, String token) {
        return send("POST", Protocol.ENROLL, SignedRequests.enrollBody(client, key, token), client,
                CanonicalRequest.NO_ROUND, key, clock.millis(), SignedRequests.nonce());
    }

    private Reply task(String client, Ed25519KeyPair key, long ts, String nonce) {
        return send("GET", Protocol.TASK + "?client=" + client, new byte[0], client, CanonicalRequest.NO_ROUND, key,
                ts, nonce);
    }

    private Reply update(String signer, byte[] body, String signedRound) {
        return send("POST", Protocol.UPDATE, body, signer, signedRound, keys.get(signer), clock.millis(),
                SignedRequests.nonce());
    }

    /** Enrolls c0..c2 and opens round 0; returns its selected clients. */
    private List<String> openRound() {
        keys.forEach((c, k) -> assertEquals(200, enroll(c, k, SignedRequests.TOKEN).status()));
        federation.scheduler().tick();
        return federation.scheduler().current().orElseThrow().task().selectedClients();
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply::text);
        assertEquals(code, Json.GSON.fromJson(reply.text(), ErrorResponse.class).error(), reply::text);
    }

    @Test
    void enroll_missingToken_403BadToken() {
        assertError(enroll("c0", keys.get("c0"), null), 403, "bad_token");
        assertEquals(0, federation.clients().size());
    }

    @Test
    void enroll_wrongToken_403BadToken() {
        assertError(enroll("c0", keys.get("c0"), "not-the-right-token-000"), 403, "bad_token");
    }

    @Test
    void enroll_validToken_keyRegisteredAndDurable() throws Exception {
        assertEquals(200, enroll("c0", keys.get("c0"), SignedRequests.TOKEN).status());
        assertEquals(keys.get("c0").publicKey(), federation.clients().publicKey("c0").orElseThrow());
        // Re-enrolling with the same key is idempotent and needs no token.
        assertEquals(200, enroll("c0", keys.get("c0"), null).status());
        close();
        try (ClientRegistry reopened = ClientRegistry.open(dir.resolve("clients.log"))) {
            assertEquals(keys.get("c0").publicKey(), reopened.publicKey("c0").orElseThrow());
        }
        open();
    }

    @Test
    void enroll_sameIdOtherKey_409KeyConflict() {
        assertEquals(200, enroll("c0", keys.get("c0"), SignedRequests.TOKEN).status());
        assertError(enroll("c0", keys.get("c1"), SignedRequests.TOKEN), 409, "key_conflict");
    }

    @Test
    void enroll_signedWithOtherKeyThanOffered_401BadSignature() {
        byte[] body = SignedRequests.enrollBody("c0", keys.get("c0"), SignedRequests.TOKEN);
        assertError(send("POST", Protocol.ENROLL, body, "c0", CanonicalRequest.NO_ROUND, keys.get("c1"),
                clock.millis(), SignedRequests.nonce()), 401, "bad_signature");
    }

    @Test
    void task_forgedSignature_401BadSignature() {
        openRound();
        assertError(task("c0", keys.get("c1"), clock.millis(), SignedRequests.nonce()), 401, "bad_signature");
    }

    @Test
    void task_unsigned_401BadSignature() {
        openRound();
        assertError(http.get(Protocol.TASK + "?client=c0"), 401, "bad_signature");
    }

    @Test
    void task_replayedNonce_401ReplayedRequest() {
        openRound();
        String nonce = SignedRequests.nonce();
        long ts = clock.millis();
        int first = task("c0", keys.get("c0"), ts, nonce).status();
        assertTrue(first == 200 || first == 204, "first use: " + first);
        assertError(task("c0", keys.get("c0"), ts, nonce), 401, "replayed_request");
    }

    @Test
    void task_timestampSkewedSixMinutes_401BadTimestamp() {
        openRound();
        long sixMinutes = Duration.ofMinutes(6).toMillis();
        assertError(task("c0", keys.get("c0"), clock.millis() - sixMinutes, SignedRequests.nonce()), 401,
                "bad_timestamp");
        assertError(task("c0", keys.get("c0"), clock.millis() + sixMinutes, SignedRequests.nonce()), 401,
                "bad_timestamp");
    }

    @Test
    void task_queryNamesOtherClient_403ClientMismatch() {
        openRound();
        String target = Protocol.TASK + "?client=c1";
        assertError(send("GET", target, new byte[0], "c0", CanonicalRequest.NO_ROUND, keys.get("c0"), clock.millis(),
                SignedRequests.nonce()), 403, "client_mismatch");
    }

    @Test
    void task_notEnrolled_403UnknownClient() {
        assertError(task("c0", keys.get("c0"), clock.millis(), SignedRequests.nonce()), 403, "unknown_client");
    }

    @Test
    void update_signedBySelectedClient_202() {
        String c = openRound().get(0);
        assertEquals(202, update(c, Updates.body(layout, c, 0, 0, 0.01f, 10), "0").status());
    }

    @Test
    void update_metadataClientDiffersFromSigner_403ClientMismatch() {
        List<String> selected = openRound();
        String signer = selected.get(0);
        byte[] body = Updates.body(layout, selected.get(1), 0, 0, 0.01f, 10);
        assertError(update(signer, body, "0"), 403, "client_mismatch");
        assertEquals(1, federation.metrics().rejected("client_mismatch"));
    }

    @Test
    void update_signedForOtherRound_401BadSignature() {
        String c = openRound().get(0);
        assertError(update(c, Updates.body(layout, c, 0, 0, 0.01f, 10), "1"), 401, "bad_signature");
    }

    @Test
    void model_servedWithSignatureOfModelKey_verifies() {
        Reply key = http.get(Protocol.MODEL_KEY);
        assertEquals(200, key.status());
        ModelKeyResponse k = Json.GSON.fromJson(key.text(), ModelKeyResponse.class);
        assertEquals(federation.modelKey().publicKey(), Ed25519PublicKey.fromBase64(k.publicKey()));
        Reply model = http.get(Protocol.MODEL);
        byte[] sig = Base64.getDecoder().decode(model.headers().get(Protocol.MODEL_SIGNATURE_HEADER));
        long version = Long.parseLong(model.headers().get(Protocol.MODEL_VERSION_HEADER));
        assertTrue(new Ed25519Verifier(federation.modelKey().publicKey())
                .verify(SignedMessages.model(version, model.body()), sig));
    }
}
