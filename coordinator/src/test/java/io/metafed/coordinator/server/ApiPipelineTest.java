package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.handler.Api;
import io.metafed.coordinator.server.handler.ApiRequest;
import io.metafed.coordinator.server.handler.ApiResponse;
import io.metafed.coordinator.server.handler.Route;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal path of API v1 through the real pipeline (codec, size guard, aggregator, handler). */
class ApiPipelineTest {
    /** clientsPerRound 2, minUpdates 1, 3 clients enrolled: two are selected, one is not. */
    static final FederationConfig CONFIG = FederationConfig.defaults().withOverSelection(1.0)
            .withRounds(2, 1, 3, Duration.ofSeconds(30));

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Federation federation;
    EmbeddedHttp http;
    ParamLayout layout;

    @BeforeEach
    void open() throws Exception {
        federation = Federation.open(dir, CONFIG, AuthConfig.disabled(), clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        layout = federation.coordinator().layout();
    }

    @AfterEach
    void close() throws Exception {
        http.server.finishAndReleaseAll();
        federation.close();
    }

    /** Enrolls c0..c2 and opens round 0; returns the selected and the unselected clients. */
    private List<String> openRound() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.post(Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}").status());
        }
        federation.scheduler().tick();
        OpenRound round = federation.scheduler().current().orElseThrow();
        String outsider = List.of("c0", "c1", "c2").stream().filter(c -> !round.isSelected(c)).findFirst()
                .orElseThrow();
        return List.of(round.task().selectedClients().get(0), round.task().selectedClients().get(1), outsider);
    }

    private static ErrorResponse error(Reply reply) {
        return Json.GSON.fromJson(reply.text(), ErrorResponse.class);
    }

    private static void assertError(Reply reply, int status, String code) {
        assertNotNull(reply, "expected a response");
        assertEquals(status, reply.status(), reply::text);
        assertEquals(code, error(reply).error(), reply::text);
        assertTrue(reply.headers().get(HttpHeaderNames.CONTENT_TYPE).startsWith("application/json"));
    }

    /** Found by ApiTargetFuzzTest: a malformed %-escape closed the connection without any response. */
    @Test
    void get_malformedPercentEscape_400JsonAndConnectionKept() {
        for (String target : List.of(Protocol.TASK + "?client=%zz", Protocol.STATUS + "%", "/v1t=%1+model-key")) {
            Reply reply = http.raw(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
            assertNotNull(reply, target);
            assertEquals(400, reply.status(), reply::text);
            assertEquals("bad_request", error(reply).error());
            assertTrue(http.server.isOpen(), target);
        }
    }

    @Test
    void update_declaredContentLengthOverCap_413BeforeBodyAndConnectionClosed() {
        DefaultHttpRequest headersOnly = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, Protocol.UPDATE);
        headersOnly.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1L << 30);
        Reply reply = http.send(headersOnly); // no body bytes sent at all
        assertError(reply, 413, "too_large");
        assertTrue(error(reply).message().contains("1073741824"), reply::text);
        assertFalse(http.server.isOpen());
        assertEquals(1, federation.metrics().rejected("too_large"));
    }

    @Test
    void enroll_chunkedBodyOverCap_413WhileStreaming() {
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, Protocol.ENROLL);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        assertEquals(null, http.send(head, new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[3000]))));
        Reply reply = http.send(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[3000])));
        assertError(reply, 413, "too_large");
        assertFalse(http.server.isOpen());
    }

    @Test
    void update_otherLayout_400BadUpdateNamingLayouts() {
        List<String> c = openRound();
        ParamLayout other = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(5, 5)));
        Reply reply = http.post(Protocol.UPDATE, Updates.body(other, c.get(0), 0, 0, 0.01f, 10));
        assertError(reply, 400, "bad_update");
        assertTrue(error(reply).message().toLowerCase().contains("layout"), reply::text);
    }

    @Test
    void update_garbageBody_400BadUpdate() {
        assertError(http.post(Protocol.UPDATE, new byte[] {1, 2, 3}), 400, "bad_update");
    }

    @Test
    void update_nanParameter_400BadUpdate() {
        List<String> c = openRound();
        Reply reply = http.post(Protocol.UPDATE, Updates.withNaN(layout, c.get(0), 0, 0));
        assertError(reply, 400, "bad_update");
        assertTrue(error(reply).message().contains("NaN"), reply::text);
    }

    @Test
    void update_missingMetadata_400BadUpdateNamingKey() {
        byte[] body = WeightFile.write(layout, new float[layout.size()], Map.of(Protocol.META_CLIENT, "c0"));
        Reply reply = http.post(Protocol.UPDATE, body);
        assertError(reply, 400, "bad_update");
        assertTrue(error(reply).message().contains("round.id"), reply::text);
    }

    @Test
    void update_afterDeadlineBeforeClose_409StaleRound() {
        List<String> c = openRound();
        clock.advance(Duration.ofSeconds(31));
        Reply reply = http.post(Protocol.UPDATE, Updates.body(layout, c.get(0), 0, 0, 0.01f, 10));
        assertError(reply, 409, "stale_round");
        assertTrue(error(reply).message().contains("deadline"), reply::text);
        assertTrue(federation.scheduler().current().isPresent(), "the scheduler has not closed the round yet");
    }

    @Test
    void update_wrongRoundId_409StaleRound() {
        List<String> c = openRound();
        assertError(http.post(Protocol.UPDATE, Updates.body(layout, c.get(0), 7, 0, 0.01f, 10)), 409, "stale_round");
    }

    @Test
    void update_wrongModelVersion_409StaleModel() {
        List<String> c = openRound();
        assertError(http.post(Protocol.UPDATE, Updates.body(layout, c.get(0), 0, 3, 0.01f, 10)), 409, "stale_model");
    }

    @Test
    void update_unenrolledClient_403UnknownClient() {
        openRound();
        assertError(http.post(Protocol.UPDATE, Updates.body(layout, "stranger", 0, 0, 0.01f, 10)), 403,
                "unknown_client");
        assertError(http.get(Protocol.TASK + "?client=stranger"), 403, "unknown_client");
    }

    @Test
    void update_enrolledButNotSelected_403NotSelected() {
        List<String> c = openRound();
        assertError(http.post(Protocol.UPDATE, Updates.body(layout, c.get(2), 0, 0, 0.01f, 10)), 403,
                "not_selected");
    }

    @Test
    void update_secondFromSameClient_409Duplicate() {
        List<String> c = openRound();
        Reply first = http.post(Protocol.UPDATE, Updates.body(layout, c.get(0), 0, 0, 0.01f, 10));
        assertEquals(202, first.status(), first::text);
        assertError(http.post(Protocol.UPDATE, Updates.body(layout, c.get(0), 0, 0, 0.01f, 10)), 409,
                "duplicate_update");
        assertEquals(1, federation.metrics().rejected("duplicate_update"));
    }

    @Test
    void task_selectedAndUnselected_200TaskAnd204RetryAfter() {
        List<String> c = openRound();
        Reply task = http.get(Protocol.TASK + "?client=" + c.get(0));
        assertEquals(200, task.status(), task::text);
        TaskResponse t = Json.GSON.fromJson(task.text(), TaskResponse.class);
        assertEquals(0, t.roundId());
        assertEquals(String.format("%016x", layout.id()), t.layoutId());
        assertEquals(clock.millis() + 30_000, t.deadlineEpochMillis());
        Reply none = http.get(Protocol.TASK + "?client=" + c.get(2));
        assertEquals(204, none.status());
        assertEquals("30", none.headers().get("Retry-After"));
    }

    @Test
    void model_currentAndStaleVersion_200WeightsOr409() {
        Reply model = http.get(Protocol.MODEL);
        assertEquals(200, model.status());
        assertEquals("0", model.headers().get(Protocol.MODEL_VERSION_HEADER));
        assertEquals(layout.size(), WeightFile.read(model.body(), layout).size());
        assertError(http.get(Protocol.MODEL + "?version=5"), 409, "stale_model");
    }

    @Test
    void model_ifNoneMatchTheCurrentEtag_304WithoutBody() {
        Reply first = http.get(Protocol.MODEL);
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        assertTrue(etag != null && etag.matches("\"v0-[0-9a-f]{16}\""), "strong ETag of v0, found " + etag);
        assertEquals("no-cache", first.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals(etag, http.get(Protocol.MODEL).headers().get(HttpHeaderNames.ETAG), "one tag per version");

        for (String ifNoneMatch : List.of(etag, "\"other\", " + etag, "W/" + etag, "*")) {
            DefaultFullHttpRequest conditional = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    Protocol.MODEL);
            conditional.headers().set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
            Reply cached = http.send(conditional);
            assertEquals(304, cached.status(), ifNoneMatch);
            assertEquals(0, cached.body().length);
            assertEquals(etag, cached.headers().get(HttpHeaderNames.ETAG));
            assertEquals("0", cached.headers().get(Protocol.MODEL_VERSION_HEADER));
            assertEquals(first.headers().get(Protocol.MODEL_SIGNATURE_HEADER),
                    cached.headers().get(Protocol.MODEL_SIGNATURE_HEADER));
        }
        DefaultFullHttpRequest stale = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, Protocol.MODEL);
        stale.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"v0-0000000000000000\"");
        Reply full = http.send(stale);
        assertEquals(200, full.status());
        assertEquals(layout.size(), WeightFile.read(full.body(), layout).size());
    }

    @Test
    void unknownRoute_404NotFound() {
        assertError(http.get("/v2/nothing"), 404, "not_found");
    }

    @Test
    void enroll_withGet_405WithAllowHeader() {
        Reply reply = http.get(Protocol.ENROLL);
        assertError(reply, 405, "method_not_allowed");
        assertEquals("POST", reply.headers().get("Allow"));
    }

    @Test
    void enroll_malformedJson_400BadRequest() {
        assertError(http.post(Protocol.ENROLL, "{clientId: "), 400, "bad_request");
        assertError(http.post(Protocol.ENROLL, "{\"clientId\":\"has space\"}"), 400, "bad_request");
    }

    @Test
    void handler_apiThrows_500InternalWithoutStackTrace() {
        Api failing = new Api() {
            @Override
            public ApiResponse handle(ApiRequest request) {
                throw new IllegalStateException("secret detail");
            }

            @Override
            public int maxBodyBytes(Route route) {
                return 100;
            }
        };
        ServerMetrics metrics = new ServerMetrics();
        EmbeddedHttp broken = new EmbeddedHttp(failing, metrics);
        Reply reply = broken.get(Protocol.STATUS);
        assertError(reply, 500, "internal");
        assertFalse(reply.text().contains("secret"), reply::text);
        assertFalse(reply.text().contains("Exception"), reply::text);
        assertFalse(reply.text().contains("\tat "), reply::text);
        assertEquals(1, metrics.requests(Protocol.STATUS, 500));
        broken.server.finishAndReleaseAll();
    }

    @Test
    void metricsAndHealth_afterRequests_prometheusTextAndOk() {
        http.get("/nope");
        assertEquals("ok", http.get(Protocol.HEALTH).text());
        String text = http.get(Protocol.METRICS).text();
        assertTrue(text.contains("metafed_http_requests_total{route=\"other\",status=\"404\"} 1"), text);
        assertTrue(text.contains("# TYPE metafed_rounds_total counter"), text);
        assertTrue(text.contains("metafed_model_version 0"), text);
    }
}
