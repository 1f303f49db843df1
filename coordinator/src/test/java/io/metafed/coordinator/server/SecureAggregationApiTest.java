package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundState;
import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.MaskedInputFormat;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.signature.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure-aggregation routes through the real HTTP pipeline on an {@link EmbeddedChannel}, with stages closed
 * by {@link RoundScheduler#tick()} on a hand-moved clock: a full round, a stage timeout below threshold, and every
 * refusal path. Three clients, all selected (n = 3, t = 2).
 */
class SecureAggregationApiTest {
    static final SecAggSettings SECURE = new SecAggSettings(10.0, 1024, Duration.ofSeconds(5), Duration.ofSeconds(10));
    static final FederationConfig CONFIG = FederationConfig.defaults().withOverSelection(1.0)
            .withRounds(3, 2, 3, Duration.ofSeconds(10)).withSecureAggregation(SECURE);

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Federation federation;
    EmbeddedHttp http;

    Federation open(FederationConfig config, AuthConfig auth) throws Exception {
        federation = Federation.open(dir, config, auth, clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        return federation;
    }

    @AfterEach
    void close() throws Exception {
        EmbeddedHttp.release(http, federation);
    }

    List<SecAggDevice> openRound() {
        return SecAggDevice.openRound(http, federation, 3);
    }

    Reply post(SecAggDevice d, String route, byte[] body) {
        return http.post(d.target(route), body);
    }

    String get(SecAggDevice d, String route) {
        Reply r = http.get(d.target(route));
        assertEquals(200, r.status(), r.text());
        return r.text();
    }

    static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(code, Json.GSON.fromJson(reply.text(), ErrorResponse.class).error(), reply.text());
    }

    @Test
    void round_allStagesOverHttp_modelMovesByDecodedMeanWithinBound() throws Exception {
        open(CONFIG, AuthConfig.disabled());
        List<SecAggDevice> d = openRound();
        assertEquals(3, d.get(0).params.clientCount());
        assertEquals(federation.coordinator().layout().size() + 1, d.get(0).params.dimension());
        ModelVersion before = federation.coordinator().currentModel();
        assertEquals(200, post(d.get(0), Protocol.SECAGG_KEYS, d.get(0).keys()).status());
        // A waiting request holds its connection (responses keep request order), so it gets one of its own.
        EmbeddedHttp waiter = new EmbeddedHttp(federation.api(), federation.metrics());
        assertNull(waiter.get(d.get(0).target(Protocol.SECAGG_ROSTER)), "the roster waits for the key stage");
        assertEquals(200, post(d.get(1), Protocol.SECAGG_KEYS, d.get(1).keys()).status());
        assertEquals(200, post(d.get(2), Protocol.SECAGG_KEYS, d.get(2).keys()).status());
        assertNull(waiter.pending());
        federation.scheduler().tick();
        Reply deferred = waiter.pending();
        assertEquals(200, deferred.status(), "the waiting roster request is answered when the stage closes");
        waiter.server.finishAndReleaseAll();

        for (SecAggDevice x : d) {
            assertEquals(200, post(x, Protocol.SECAGG_SHARES, x.shares(get(x, Protocol.SECAGG_ROSTER))).status());
        }
        federation.scheduler().tick();
        float[] values = {0.01f, -0.02f, 0.03f};
        double[] weights = {5, 10, 15};
        for (int i = 0; i < 3; i++) {
            byte[] masked = d.get(i).masked(get(d.get(i), Protocol.SECAGG_INBOX), values[i], weights[i]);
            assertEquals(200, post(d.get(i), Protocol.SECAGG_MASKED, masked).status());
        }
        federation.scheduler().tick();
        for (SecAggDevice x : d) {
            assertEquals(200, post(x, Protocol.SECAGG_UNMASK, x.unmask(get(x, Protocol.SECAGG_UNMASK_REQUEST)))
                    .status());
        }
        federation.scheduler().tick();

        ModelVersion after = federation.coordinator().currentModel();
        assertEquals(before.version() + 1, after.version());
        double mean = (0.01 * 5 - 0.02 * 10 + 0.03 * 15) / 30; // ε = 1
        FixedPointEncoder e = d.get(0).encoder();
        double bound = (e.maxAbsError(3) + Math.abs(mean) * e.maxAbsWeightError(3)) / (30 - e.maxAbsWeightError(3));
        for (int i = 0; i < after.params().length; i++) {
            float exact = (float) (before.params()[i] + mean);
            assertTrue(Math.abs(after.params()[i] - exact) <= bound + 2 * Math.ulp(exact), "coordinate " + i);
        }
        assertTrue(federation.metrics().render().contains("metafed_secagg_stage_clients_total{stage=\"unmasking\"} 3"));
    }

    @Test
    void quorumGrace_aClientVanishesAfterKeys_stageClosesAfterTheGraceNotTheTimeout() throws Exception {
        SecAggSettings graceful = new SecAggSettings(10.0, 1024, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(500));
        open(CONFIG.withSecureAggregation(graceful), AuthConfig.disabled());
        List<SecAggDevice> d = openRound();
        ModelVersion before = federation.coordinator().currentModel();
        for (SecAggDevice x : d) {
            assertEquals(200, post(x, Protocol.SECAGG_KEYS, x.keys()).status());
        }
        federation.scheduler().tick();
        // d2 vanishes; d0 and d1 are t = 2, the quorum.
        for (SecAggDevice x : d.subList(0, 2)) {
            assertEquals(200, post(x, Protocol.SECAGG_SHARES, x.shares(get(x, Protocol.SECAGG_ROSTER))).status());
        }
        EmbeddedHttp waiter = new EmbeddedHttp(federation.api(), federation.metrics());
        assertNull(waiter.get(d.get(0).target(Protocol.SECAGG_INBOX)));
        clock.advance(Duration.ofMillis(400));
        federation.scheduler().tick();
        assertNull(waiter.pending(), "within the grace period the stage waits for the third client");
        clock.advance(Duration.ofMillis(101));
        federation.scheduler().tick();
        assertEquals(200, waiter.pending().status(), "closed 501 ms after the quorum, not at the 5 s timeout");
        waiter.server.finishAndReleaseAll();
        assertError(http.get(d.get(2).target(Protocol.SECAGG_INBOX)), 409, "secagg_wrong_stage");
        for (int i = 0; i < 2; i++) {
            byte[] masked = d.get(i).masked(get(d.get(i), Protocol.SECAGG_INBOX), 0.01f, 5);
            assertEquals(200, post(d.get(i), Protocol.SECAGG_MASKED, masked).status());
        }
        federation.scheduler().tick(); // every expected client answered: closes at once
        for (SecAggDevice x : d.subList(0, 2)) {
            assertEquals(200, post(x, Protocol.SECAGG_UNMASK, x.unmask(get(x, Protocol.SECAGG_UNMASK_REQUEST)))
                    .status());
        }
        federation.scheduler().tick();
        assertEquals(before.version() + 1, federation.coordinator().currentModel().version());
    }

    @Test
    void stageTimeout_belowThreshold_roundFailsModelUnchangedNextRoundOpens() throws Exception {
        open(CONFIG, AuthConfig.disabled());
        List<SecAggDevice> d = openRound();
        ModelVersion before = federation.coordinator().currentModel();
        for (SecAggDevice x : d) {
            assertEquals(200, post(x, Protocol.SECAGG_KEYS, x.keys()).status());
        }
        federation.scheduler().tick();
        SecAggDevice only = d.get(0);
        assertEquals(200, post(only, Protocol.SECAGG_SHARES, only.shares(get(only, Protocol.SECAGG_ROSTER))).status());
        EmbeddedHttp waiter = new EmbeddedHttp(federation.api(), federation.metrics());
        assertNull(waiter.get(only.target(Protocol.SECAGG_INBOX)), "the inbox waits for the share stage");
        clock.advance(SECURE.stageTimeout());
        federation.scheduler().tick();
        assertError(waiter.pending(), 409, ErrorCodes.SECAGG_FAILED);
        waiter.server.finishAndReleaseAll();

        assertEquals(RoundState.FAILED, federation.coordinator().roundStatus().orElseThrow().state());
        assertEquals(before.version(), federation.coordinator().currentModel().version());
        assertArrayEquals(before.params(), federation.coordinator().currentModel().params());
        assertError(post(d.get(1), Protocol.SECAGG_SHARES, "{\"shares\":[]}".getBytes(StandardCharsets.UTF_8)),
                409, ErrorCodes.STALE_ROUND);
        federation.scheduler().tick();
        assertEquals(1, federation.scheduler().current().orElseThrow().roundId());
    }

    @Test
    void refusals_wrongStageRoundClientDuplicateMalformed_4xxCodes() throws Exception {
        open(CONFIG.withRounds(2, 2, 3, Duration.ofSeconds(10)), AuthConfig.disabled());
        for (int i = 0; i < 3; i++) {
            http.post(Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}");
        }
        federation.scheduler().tick();
        OpenRound round = federation.scheduler().current().orElseThrow();
        String member = round.task().selectedClients().get(0);
        String outsider = List.of("c0", "c1", "c2").stream().filter(c -> !round.isSelected(c)).findFirst()
                .orElseThrow();
        SecAggDevice d = new SecAggDevice(member, Json.GSON.fromJson(http.get(Protocol.TASK + "?client=" + member)
                .text(), TaskResponse.class));
        byte[] keys = d.keys();

        assertError(http.post(Protocol.SECAGG_KEYS + "?client=" + outsider + "&round=0", keys), 403,
                ErrorCodes.NOT_SELECTED);
        assertError(http.post(Protocol.SECAGG_KEYS + "?client=" + member + "&round=7", keys), 409,
                ErrorCodes.STALE_ROUND);
        assertError(http.post(Protocol.SECAGG_KEYS + "?client=" + member, keys), 400, ErrorCodes.BAD_REQUEST);
        assertError(http.post(Protocol.SECAGG_KEYS + "?client=stranger&round=0", keys), 403, ErrorCodes.UNKNOWN_CLIENT);
        assertError(post(d, Protocol.SECAGG_SHARES, "{\"shares\":[]}".getBytes(StandardCharsets.UTF_8)), 409,
                ErrorCodes.SECAGG_WRONG_STAGE);
        assertError(post(d, Protocol.SECAGG_KEYS, "{\"encryptionKey\":\"AAAA\",\"maskKey\":null}"
                .getBytes(StandardCharsets.UTF_8)), 400, ErrorCodes.SECAGG_BAD_MESSAGE);
        assertError(post(d, Protocol.SECAGG_KEYS, "not json".getBytes(StandardCharsets.UTF_8)), 400,
                ErrorCodes.SECAGG_BAD_MESSAGE);
        assertEquals(200, post(d, Protocol.SECAGG_KEYS, keys).status());
        assertEquals(200, post(d, Protocol.SECAGG_KEYS, keys).status(), "an identical repeat is accepted again");
        assertError(post(d, Protocol.SECAGG_KEYS, new SecAggDevice(member, d.task).keys()), 409,
                ErrorCodes.DUPLICATE_UPDATE);
        assertError(http.post(Protocol.UPDATE, Updates.body(federation.coordinator().layout(), member, 0, 0, 0.01f, 3)),
                409, ErrorCodes.SECAGG_REQUIRED);
        int dimension = d.params.dimension();
        assertError(post(d, Protocol.SECAGG_MASKED, new byte[MaskedInputFormat.size(dimension) + 1]), 413,
                ErrorCodes.TOO_LARGE);
        http = new EmbeddedHttp(federation.api(), federation.metrics()); // 413 closes the connection
        assertError(post(d, Protocol.SECAGG_MASKED, MaskedInputFormat.encode(0, 2, new int[dimension])), 400,
                ErrorCodes.SECAGG_BAD_MESSAGE);
        assertError(http.get(Protocol.SECAGG_KEYS + "?client=" + member + "&round=0"), 405,
                ErrorCodes.METHOD_NOT_ALLOWED);
    }

    @Test
    void secaggRoute_plainRound_secaggNotEnabled() throws Exception {
        open(CONFIG.withSecureAggregation(null), AuthConfig.disabled());
        for (int i = 0; i < 3; i++) {
            http.post(Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}");
        }
        federation.scheduler().tick();
        assertError(http.post(Protocol.SECAGG_KEYS + "?client=c0&round=0", "{}"), 409, ErrorCodes.SECAGG_NOT_ENABLED);
        Reply task = http.get(Protocol.TASK + "?client=c0");
        assertTrue(!task.text().contains("secureAggregation"), "plain tasks keep their v1 shape: " + task.text());
    }

    @Test
    void secaggRoute_authOnUnsignedOrOtherClient_refused() throws Exception {
        open(CONFIG, AuthConfig.tokens(List.of(SignedRequests.TOKEN)));
        List<Ed25519KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Ed25519KeyPair key = Ed25519KeyPair.generate();
            keys.add(key);
            byte[] body = SignedRequests.enrollBody("c" + i, key, SignedRequests.TOKEN);
            assertEquals(200, http.send(SignedRequests.netty("POST", Protocol.ENROLL, body, SignedRequests.headers(
                    "POST", Protocol.ENROLL, body, "c" + i, "-", keys.get(i), clock.millis(),
                    SignedRequests.nonce()))).status());
        }
        federation.scheduler().tick();
        String target = Protocol.SECAGG_KEYS + "?client=c0&round=0";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertError(http.post(target, body), 401, ErrorCodes.BAD_SIGNATURE);
        assertError(http.send(SignedRequests.netty("POST", target, body, SignedRequests.headers("POST", target, body,
                "c1", "0", keys.get(1), clock.millis(), SignedRequests.nonce()))), 403, ErrorCodes.CLIENT_MISMATCH);
        assertError(http.send(SignedRequests.netty("POST", target, body, SignedRequests.headers("POST", target, body,
                "c0", "-", keys.get(0), clock.millis(), SignedRequests.nonce()))), 401, ErrorCodes.BAD_SIGNATURE);
        assertError(http.send(SignedRequests.netty("POST", target, body, SignedRequests.headers("POST", target, body,
                "c0", "0", keys.get(0), clock.millis(), SignedRequests.nonce()))), 400, ErrorCodes.SECAGG_BAD_MESSAGE);
    }
}
