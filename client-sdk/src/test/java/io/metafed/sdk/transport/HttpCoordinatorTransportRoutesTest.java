package io.metafed.sdk.transport;

import static io.metafed.sdk.transport.TransportFixtures.LAYOUT;
import static io.metafed.sdk.transport.TransportFixtures.builder;
import static io.metafed.sdk.transport.TransportFixtures.modelFile;
import static io.metafed.sdk.transport.TransportFixtures.ramp;
import static io.metafed.sdk.transport.TransportFixtures.task;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link HttpCoordinatorTransport} sends on each route and how it reads the answers. */
class HttpCoordinatorTransportRoutesTest {
    private StubCoordinator stub;
    private HttpCoordinatorTransport transport;

    @BeforeEach
    void start() throws IOException {
        stub = StubCoordinator.http();
        transport = builder(stub, new RecordingSleeper()).build();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void enroll_ok_postsJsonClientId() {
        stub.on(Protocol.ENROLL, Reply.json(200, "{\"clientId\":\"device-1\",\"enrolled\":true}"));
        transport.enroll("device-1");
        StubCoordinator.Seen seen = stub.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals(Protocol.JSON, seen.contentType());
        assertEquals("{\"clientId\":\"device-1\"}", new String(seen.body(), StandardCharsets.UTF_8));
    }

    @Test
    void enroll_answerForOtherClient_badResponse() {
        stub.on(Protocol.ENROLL, Reply.json(200, "{\"clientId\":\"device-2\",\"enrolled\":true}"));
        TransportException e = assertThrows(TransportException.class, () -> transport.enroll("device-1"));
        assertEquals(TransportException.Kind.BAD_RESPONSE, e.kind());
    }

    @Test
    void task_noContent_empty() {
        stub.on(Protocol.TASK, Reply.of(204).withHeader("Retry-After", "5"));
        assertTrue(transport.task("device-1").isEmpty());
        assertEquals("client=device-1", stub.seen().get(0).query());
    }

    @Test
    void task_unknownClient_refusedWithCode() {
        stub.on(Protocol.TASK, Reply.error(403, "unknown_client", "device-1 is not enrolled"));
        TransportException e = assertThrows(TransportException.class, () -> transport.task("device-1"));
        assertEquals(TransportException.Kind.REFUSED, e.kind());
        assertEquals("unknown_client", e.errorCode().orElseThrow());
    }

    @Test
    void task_malformedJson_badResponse() {
        stub.on(Protocol.TASK, Reply.json(200, "{\"roundId\": [oops"));
        assertEquals(TransportException.Kind.BAD_RESPONSE,
                assertThrows(TransportException.class, () -> transport.task("device-1")).kind());
    }

    @Test
    void downloadModel_validFile_modelWithHeaderVersion() {
        float[] params = ramp(LAYOUT.size());
        stub.on(Protocol.MODEL, new Reply(200, Map.of(Protocol.MODEL_VERSION_HEADER, "3"),
                modelFile(LAYOUT, 3, params), 0));
        GlobalModel model = transport.downloadModel(LAYOUT);
        assertEquals(GlobalModel.of(3, LAYOUT, params), model);
    }

    @Test
    void downloadModel_headerAndMetadataDisagree_badResponse() {
        stub.on(Protocol.MODEL, new Reply(200, Map.of(Protocol.MODEL_VERSION_HEADER, "4"),
                modelFile(LAYOUT, 3, ramp(LAYOUT.size())), 0));
        assertEquals(TransportException.Kind.BAD_RESPONSE,
                assertThrows(TransportException.class, () -> transport.downloadModel(LAYOUT)).kind());
    }

    @Test
    void downloadModel_corruptBody_badResponseWrappingFormatError() {
        byte[] file = modelFile(LAYOUT, 3, ramp(LAYOUT.size()));
        file[file.length / 2] ^= 0x40;
        stub.on(Protocol.MODEL, new Reply(200, Map.of(), file, 0));
        TransportException e = assertThrows(TransportException.class, () -> transport.downloadModel(LAYOUT));
        assertEquals(TransportException.Kind.BAD_RESPONSE, e.kind());
        assertEquals(WeightFormatException.Problem.CHECKSUM,
                assertInstanceOf(WeightFormatException.class, e.getCause()).problem());
    }

    @Test
    void downloadModel_otherLayout_refusedAsLayoutMismatch() {
        ParamLayout other = ParamLayout.of(new ModelConfig(LAYOUT.config().schema(), 4, List.of(8)));
        stub.on(Protocol.MODEL, new Reply(200, Map.of(), modelFile(other, 3, new float[other.size()]), 0));
        TransportException e = assertThrows(TransportException.class, () -> transport.downloadModel(LAYOUT));
        assertEquals(TransportException.Kind.REFUSED, e.kind());
        assertEquals("layout_mismatch", e.errorCode().orElseThrow());
        assertEquals(1, stub.seen().size());
    }

    @Test
    void submit_accepted_sendsDeltaAsWeightFileWithMetadata() {
        stub.on(Protocol.UPDATE, Reply.json(202, "{\"roundId\":7,\"accepted\":true}"));
        float[] delta = ramp(LAYOUT.size());
        transport.submit("device-1", task(7, 2), new LocalUpdate(2, delta, 23, 1.0, 0.5), LAYOUT);
        StubCoordinator.Seen seen = stub.seen().get(0);
        assertEquals(Protocol.OCTETS, seen.contentType());
        Weights sent = WeightFile.read(seen.body(), LAYOUT);
        assertArrayEquals(delta, sent.params());
        assertEquals(Map.of(Protocol.META_CLIENT, "device-1", Protocol.META_ROUND, "7",
                Protocol.META_MODEL_VERSION, "2", Protocol.META_WEIGHT, "23"), sent.metadata());
    }

    @Test
    void submit_updateOfOtherModelVersion_rejectedBeforeSending() {
        var update = new LocalUpdate(1, new float[LAYOUT.size()], 5, 1.0, 0.5);
        assertThrows(IllegalArgumentException.class, () -> transport.submit("device-1", task(7, 2), update, LAYOUT));
        assertEquals(List.of(), stub.seen());
    }

    @Test
    void builder_invalidSettings_rejectedNamingTheRule() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> HttpCoordinatorTransport.builder(URI.create("ftp://localhost:1")));
        assertTrue(e.getMessage().contains("scheme must be http or https"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HttpCoordinatorTransport.builder(URI.create("http://localhost:1/?x=1")));
        assertThrows(IllegalArgumentException.class,
                () -> HttpCoordinatorTransport.builder(stub.uri()).requestTimeout(java.time.Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> HttpCoordinatorTransport.builder(stub.uri())
                .allowUnsignedModels().sslContext(SSLContext.getDefault()).build());
    }
}
