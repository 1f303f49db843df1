package io.metafed.sdk.transport;

import static io.metafed.sdk.transport.TransportFixtures.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.StubCoordinator.Seen;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.signature.Ed25519Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With device keys the transport registers its key at enrollment and signs requests as PROTOCOL.md says. */
class RequestSigningTest {
    @TempDir
    Path dir;
    private StubCoordinator stub;
    private DeviceKeys keys;
    private HttpCoordinatorTransport transport;

    @BeforeEach
    void start() throws IOException {
        stub = StubCoordinator.http();
        keys = DeviceKeys.inDirectory(dir.resolve("keys"));
        transport = builder(stub, new RecordingSleeper()).deviceKeys(keys)
                .enrollmentToken("operator-token-0123456789").build();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    /** Verifies {@code seen}'s signature headers with the device key over its canonical request. */
    private boolean verifies(Seen seen, String target, String roundId) {
        CanonicalRequest canonical = CanonicalRequest.of(seen.method(), target, seen.header(Protocol.CLIENT_HEADER),
                roundId, seen.header(Protocol.NONCE_HEADER), Long.parseLong(seen.header(Protocol.TIMESTAMP_HEADER)),
                seen.body());
        Ed25519PublicKey key = keys.keyPair(seen.header(Protocol.CLIENT_HEADER)).publicKey();
        return new Ed25519Verifier(key).verify(canonical.toBytes(),
                Base64.getDecoder().decode(seen.header(Protocol.SIGNATURE_HEADER)));
    }

    @Test
    void enroll_withKeysAndToken_sendsPublicKeyTokenAndValidSignature() {
        stub.on(Protocol.ENROLL, Reply.json(200, "{\"clientId\":\"device-1\",\"enrolled\":true}"));
        transport.enroll("device-1");
        Seen seen = stub.seen().get(0);
        JsonObject body = JsonParser.parseString(new String(seen.body(), StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(keys.keyPair("device-1").publicKey().toBase64(), body.get("publicKey").getAsString());
        assertEquals("operator-token-0123456789", body.get("token").getAsString());
        assertEquals("device-1", seen.header(Protocol.CLIENT_HEADER));
        assertTrue(verifies(seen, Protocol.ENROLL, CanonicalRequest.NO_ROUND));
        assertEquals(16, Base64.getDecoder().decode(seen.header(Protocol.NONCE_HEADER)).length);
    }

    @Test
    void task_retriedAfter503_everyAttemptFreshNonceAndValidSignature() {
        stub.on(Protocol.TASK, Reply.of(503), Reply.of(204));
        assertTrue(transport.task("device-1").isEmpty());
        Seen first = stub.seen().get(0);
        Seen second = stub.seen().get(1);
        String target = Protocol.TASK + "?client=device-1";
        assertTrue(verifies(first, target, CanonicalRequest.NO_ROUND));
        assertTrue(verifies(second, target, CanonicalRequest.NO_ROUND));
        assertNotEquals(first.header(Protocol.NONCE_HEADER), second.header(Protocol.NONCE_HEADER));
    }

    @Test
    void deviceKeys_inDirectory_reusedAcrossInstances() {
        Ed25519PublicKey first = keys.keyPair("device-9").publicKey();
        assertEquals(first, DeviceKeys.inDirectory(dir.resolve("keys")).keyPair("device-9").publicKey());
        assertTrue(dir.resolve("keys").resolve("device-9.key.pem").toFile().isFile());
    }
}
