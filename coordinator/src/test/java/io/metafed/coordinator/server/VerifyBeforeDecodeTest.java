package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.codec.UpdateDecoder;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/update} checks the signature over the raw body before decoding it: a forged, replayed or
 * wrongly signed update is refused without a decode (counted by a decoder that wraps the real one), while an
 * authentic one is decoded exactly once.
 */
class VerifyBeforeDecodeTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final AtomicInteger decodes = new AtomicInteger();
    final Map<String, Ed25519KeyPair> keys = new HashMap<>();
    final Ed25519KeyPair other = Ed25519KeyPair.generate();
    Ed25519KeyPair key;
    Federation federation;
    EmbeddedHttp http;
    ParamLayout layout;
    String client;

    @BeforeEach
    void open() throws Exception {
        federation = Federation.open(dir, ApiPipelineTest.CONFIG, AuthConfig.tokens(List.of(SignedRequests.TOKEN)),
                clock);
        federation.api().decodeWith((body, l) -> {
            decodes.incrementAndGet();
            return UpdateDecoder.decode(body, l);
        });
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        layout = federation.coordinator().layout();
        for (String c : List.of("c0", "c1", "c2")) {
            Ed25519KeyPair k = Ed25519KeyPair.generate();
            keys.put(c, k);
            byte[] body = SignedRequests.enrollBody(c, k, SignedRequests.TOKEN);
            assertEquals(200, send(Protocol.ENROLL, body, c, CanonicalRequest.NO_ROUND, k, SignedRequests.nonce())
                    .status());
        }
        federation.scheduler().tick();
        client = federation.scheduler().current().orElseThrow().task().selectedClients().get(0);
        key = keys.get(client);
    }

    @AfterEach
    void close() throws Exception {
        http.server.finishAndReleaseAll();
        federation.close();
    }

    private Reply send(String target, byte[] body, String signer, String round, Ed25519KeyPair k, String nonce) {
        return http.send(SignedRequests.netty("POST", target, body,
                SignedRequests.headers("POST", target, body, signer, round, k, clock.millis(), nonce)));
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply::text);
        assertEquals(code, Json.GSON.fromJson(reply.text(), ErrorResponse.class).error(), reply::text);
    }

    @Test
    void update_forgedSignature_401WithoutDecoding() {
        byte[] body = Updates.body(layout, client, 0, 0, 0.01f, 10);
        assertError(send(Protocol.UPDATE, body, client, "0", other, SignedRequests.nonce()), 401, "bad_signature");
        assertEquals(0, decodes.get(), "a forged update was decoded");
        assertEquals(0, federation.coordinator().roundStatus().orElseThrow().accepted());
    }

    @Test
    void update_forgedSignatureOverCorruptBody_401NotBadUpdate() {
        byte[] body = Updates.body(layout, client, 0, 0, 0.01f, 10);
        body[body.length - 10] ^= 0x55; // the CRC no longer matches: a decode would answer 400 bad_update
        assertError(send(Protocol.UPDATE, body, client, "0", other, SignedRequests.nonce()), 401, "bad_signature");
        assertEquals(0, decodes.get());
    }

    @Test
    void update_signedForAnotherRound_401WithoutDecoding() {
        byte[] body = Updates.body(layout, client, 0, 0, 0.01f, 10);
        assertError(send(Protocol.UPDATE, body, client, "7", key, SignedRequests.nonce()), 401, "bad_signature");
        assertEquals(0, decodes.get());
    }

    @Test
    void update_authenticThenReplayed_decodedOnceAndReplay401() {
        byte[] body = Updates.body(layout, client, 0, 0, 0.01f, 10);
        String nonce = SignedRequests.nonce();
        assertEquals(202, send(Protocol.UPDATE, body, client, "0", key, nonce).status());
        assertEquals(1, decodes.get());
        assertError(send(Protocol.UPDATE, body, client, "0", key, nonce), 401, "replayed_request");
        assertEquals(1, decodes.get(), "a replayed update was decoded again");
        assertEquals(1, federation.coordinator().roundStatus().orElseThrow().accepted());
    }

    @Test
    void update_authenticButCorrupt_400BadUpdateAfterOneDecode() {
        byte[] body = Updates.body(layout, client, 0, 0, 0.01f, 10);
        body[body.length - 10] ^= 0x55; // signed as sent: the signature holds, the checksum does not
        assertError(send(Protocol.UPDATE, body, client, "0", key, SignedRequests.nonce()), 400, "bad_update");
        assertEquals(1, decodes.get());
    }
}
