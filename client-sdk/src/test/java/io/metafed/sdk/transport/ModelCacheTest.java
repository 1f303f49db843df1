package io.metafed.sdk.transport;

import static io.metafed.sdk.transport.TransportFixtures.LAYOUT;
import static io.metafed.sdk.transport.TransportFixtures.builder;
import static io.metafed.sdk.transport.TransportFixtures.modelFile;
import static io.metafed.sdk.transport.TransportFixtures.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import io.metafed.security.signature.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-device model cache: If-None-Match with the cached ETag, the cached copy on 304 (also after a relaunch),
 * and a cache altered on the device refused by its signature and replaced by a full download.
 */
class ModelCacheTest {
    private static final Ed25519KeyPair MODEL_KEY = Ed25519KeyPair.generate();
    private static final String ETAG = "\"v3-0123456789abcdef\"";
    private static final float[] PARAMS = ramp(LAYOUT.size());

    @TempDir
    Path dir;
    private StubCoordinator stub;

    @BeforeEach
    void start() throws IOException {
        stub = StubCoordinator.http();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpCoordinatorTransport transport() {
        HttpTransportBuilder b = builder(stub, new RecordingSleeper());
        b.allowUnsignedModels = false;
        return b.modelKey(MODEL_KEY.publicKey()).modelCache(dir.resolve("model.cache")).build();
    }

    private static Map<String, String> headers(long version, byte[] file) {
        Map<String, String> h = new HashMap<>();
        h.put(Protocol.MODEL_VERSION_HEADER, Long.toString(version));
        h.put(Protocol.MODEL_SIGNATURE_HEADER, Base64.getEncoder().encodeToString(
                MODEL_KEY.sign(SignedMessages.model(version, file))));
        h.put("ETag", ETAG);
        return h;
    }

    private static Reply full(long version, byte[] file) {
        return new Reply(200, headers(version, file), file, 0);
    }

    private static Reply notModified(long version, byte[] file) {
        return new Reply(304, headers(version, file), new byte[0], 0);
    }

    @Test
    void secondDownload_sendsIfNoneMatch_andUsesTheCachedModelOn304_alsoAfterARelaunch() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, full(3, file), notModified(3, file), notModified(3, file));
        GlobalModel first = transport().downloadModel(LAYOUT);
        assertNull(stub.seen().get(0).header("If-None-Match"), "nothing cached yet");
        assertTrue(Files.isRegularFile(dir.resolve("model.cache")));

        HttpCoordinatorTransport same = transport();
        assertEquals(first, same.downloadModel(LAYOUT));
        assertEquals(ETAG, stub.seen().get(1).header("If-None-Match"));
        // A new transport over the same file: what an app relaunch does.
        GlobalModel relaunched = transport().downloadModel(LAYOUT);
        assertEquals(3, relaunched.version());
        assertArrayEquals(PARAMS, relaunched.params());
        assertEquals(ETAG, stub.seen().get(2).header("If-None-Match"));
    }

    @Test
    void cacheAlteredOnTheDevice_isRefusedBySignature_andTheModelFetchedAgain() throws IOException {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, full(3, file));
        transport().downloadModel(LAYOUT);
        Path cache = dir.resolve("model.cache");
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length - 100] ^= 0x01; // one bit of one weight, checksum and all else intact
        Files.write(cache, bytes);

        stub.on(Protocol.MODEL, notModified(3, file), full(3, file));
        GlobalModel model = transport().downloadModel(LAYOUT);
        assertArrayEquals(PARAMS, model.params(), "the verified download, not the altered cache");
        assertEquals(3, stub.seen().size());
        assertEquals(ETAG, stub.seen().get(1).header("If-None-Match"));
        assertNull(stub.seen().get(2).header("If-None-Match"), "the refused cache was dropped before refetching");
        assertFalse(Arrays.equals(bytes, Files.readAllBytes(cache)), "the cache holds the good copy again");
    }

    @Test
    void deleteLocalData_removesTheCache() {
        byte[] file = modelFile(LAYOUT, 3, PARAMS);
        stub.on(Protocol.MODEL, full(3, file));
        HttpCoordinatorTransport transport = transport();
        transport.downloadModel(LAYOUT);
        assertTrue(Files.exists(dir.resolve("model.cache")));
        transport.deleteLocalData("device-1");
        assertFalse(Files.exists(dir.resolve("model.cache")));
    }
}
