package io.metafed.sdk.transport;

import static io.metafed.sdk.transport.TransportFixtures.LAYOUT;
import static io.metafed.sdk.transport.TransportFixtures.builder;
import static io.metafed.sdk.transport.TransportFixtures.modelFile;
import static io.metafed.sdk.transport.TransportFixtures.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import io.metafed.security.signature.Ed25519KeyPair;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloaded models must be signed by the configured model key; anything else is refused before use. */
class ModelSignatureVerificationTest {
    private static final Ed25519KeyPair MODEL_KEY = Ed25519KeyPair.generate();
    private static final float[] PARAMS = ramp(LAYOUT.size());
    private StubCoordinator stub;
    private HttpCoordinatorTransport transport;

    @BeforeEach
    void start() throws IOException {
        stub = StubCoordinator.http();
        transport = verifying();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpCoordinatorTransport verifying() {
        HttpTransportBuilder b = builder(stub, new RecordingSleeper());
        b.allowUnsignedModels = false; // the fixture opts out; these tests opt back in
        return b.modelKey(MODEL_KEY.publicKey()).build();
    }

    private static Reply signed(byte[] file, long version, byte[] signature) {
        return new Reply(200, Map.of(Protocol.MODEL_VERSION_HEADER, Long.toString(version),
                Protocol.MODEL_SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature)), file, 0);
    }

    private static byte[] signature(long version, byte[] file) {
        return MODEL_KEY.sign(SignedMessages.model(version, file));
    }

    private TransportException refusal() {
        TransportException e = assertThrows(TransportException.class, () -> transport.downloadModel(LAYOUT));
        assertEquals(TransportException.Kind.REFUSED, e.kind());
        return e;
    }

    @Test
    void downloadModel_validSignature_returnsModel() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, signed(file, 3, signature(3, file)));
        GlobalModel model = transport.downloadModel(LAYOUT);
        assertEquals(3, model.version());
        assertArrayEquals(PARAMS, model.params());
    }

    @Test
    void downloadModel_oneBodyBitFlipped_refusedBadSignature() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        byte[] sig = signature(3, file);
        byte[] tampered = file.clone();
        tampered[tampered.length / 2] ^= 0x01; // a weight's low mantissa bit: still a valid file but for the CRC
        stub.on(Protocol.MODEL, signed(tampered, 3, sig));
        TransportException e = refusal();
        assertEquals(ErrorCodes.BAD_SIGNATURE, e.errorCode().orElseThrow());
        assertTrue(e.getMessage().contains(MODEL_KEY.publicKey().fingerprint()), e.getMessage());
    }

    @Test
    void downloadModel_oneSignatureBitFlipped_refusedBadSignature() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        byte[] sig = signature(3, file);
        sig[10] ^= 0x40;
        stub.on(Protocol.MODEL, signed(file, 3, sig));
        assertEquals(ErrorCodes.BAD_SIGNATURE, refusal().errorCode().orElseThrow());
    }

    @Test
    void downloadModel_versionHeaderChanged_refusedBadSignature() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, signed(file, 4, signature(3, file)));
        assertEquals(ErrorCodes.BAD_SIGNATURE, refusal().errorCode().orElseThrow());
    }

    @Test
    void downloadModel_signedByOtherKey_refusedBadSignature() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, signed(file, 3, Ed25519KeyPair.generate().sign(SignedMessages.model(3, file))));
        assertEquals(ErrorCodes.BAD_SIGNATURE, refusal().errorCode().orElseThrow());
    }

    @Test
    void downloadModel_noSignatureHeader_refusedUnsignedModel() {
        stub.on(Protocol.MODEL, new Reply(200, Map.of(Protocol.MODEL_VERSION_HEADER, "3"),
                modelFile(LAYOUT, 3, PARAMS), 0));
        TransportException e = refusal();
        assertEquals(ErrorCodes.UNSIGNED_MODEL, e.errorCode().orElseThrow());
        assertTrue(e.getMessage().contains(Protocol.MODEL_SIGNATURE_HEADER), e.getMessage());
    }

    @Test
    void build_neitherModelKeyNorOptOut_refused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HttpCoordinatorTransport.builder(stub.uri()).build());
        assertTrue(e.getMessage().contains("modelKey"), e.getMessage());
    }
}
