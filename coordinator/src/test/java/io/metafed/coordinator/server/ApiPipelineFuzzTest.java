package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.codec.UpdateDecoder;
import io.metafed.model.fuzz.Mutator;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.EnrollResponse;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.Protocol;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the request bodies the server decodes, through the real pipeline (as in
 * {@link ApiPipelineTest}: client authentication off): every mutated update and enrollment body is answered
 * with a 4xx JSON error (or, for a mutant that is still a valid enrollment, 200), never a 5xx or a silently
 * closed channel, and the global model is unchanged afterwards.
 */
class ApiPipelineFuzzTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Federation federation;
    EmbeddedHttp http;
    ParamLayout layout;

    @BeforeEach
    void open() throws Exception {
        federation = Federation.open(dir, ApiPipelineTest.CONFIG, AuthConfig.disabled(), clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        layout = federation.coordinator().layout();
    }

    @AfterEach
    void close() throws Exception {
        http.server.finishAndReleaseAll();
        federation.close();
    }

    private Reply send(String uri, byte[] body) {
        if (!http.server.isOpen()) {
            http.server.finishAndReleaseAll();
            http = new EmbeddedHttp(federation.api(), federation.metrics());
        }
        return http.post(uri, body);
    }

    /** A 4xx JSON ErrorResponse with a code and a message (shared with the other fuzz tests). */
    static void assertJsonError(Reply reply, byte[] input) {
        String hex = HexFormat.of().formatHex(input);
        assertNotNull(reply, () -> "no response (channel closed?) for " + hex);
        int status = reply.status();
        assertTrue(status >= 400 && status < 500, () -> "status " + status + " " + reply.text() + " for " + hex);
        assertTrue(reply.headers().get(HttpHeaderNames.CONTENT_TYPE).startsWith("application/json"), reply::text);
        ErrorResponse error = Json.GSON.fromJson(reply.text(), ErrorResponse.class);
        assertTrue(error.error() != null && !error.error().isBlank() && error.message() != null, reply::text);
    }

    /** Recomputes a body's trailing CRC32C, so mutants get past the checksum. */
    static void reseal(byte[] b) {
        if (b.length >= 4) {
            CRC32C crc = new CRC32C();
            crc.update(b, 0, b.length - 4);
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        }
    }

    /**
     * Seed 0x0badc0de, 3,000 mutated update bodies (6 batches of 500, each under a 60 s preemptive timeout), half
     * with a recomputed CRC32C. Round 0 is open with the selected client {@code a} having already submitted, so a
     * mutant that still decodes meets a duplicate / not-selected / unknown-client / stale refusal; the only
     * acceptable decodable mutant (from the other selected client) is not sent.
     */
    @Test
    void update_mutatedBodies_4xxJsonErrorAndModelUnchanged() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.post(Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}").status());
        }
        federation.scheduler().tick();
        OpenRound round = federation.scheduler().current().orElseThrow();
        String a = round.task().selectedClients().get(0);
        String pending = round.task().selectedClients().get(1);
        String outsider = List.of("c0", "c1", "c2").stream().filter(c -> !round.isSelected(c)).findFirst()
                .orElseThrow();
        assertEquals(202, http.post(Protocol.UPDATE, Updates.body(layout, a, 0, 0, 0.01f, 10)).status());
        ModelVersion before = federation.coordinator().currentModel();

        List<byte[]> seeds = List.of(Updates.body(layout, a, 0, 0, 0.01f, 10),
                Updates.body(layout, outsider, 0, 0, -0.5f, 3), Updates.body(layout, "stranger", 0, 0, 0f, 1),
                Updates.body(layout, a, 1, 0, 0.25f, 7), Updates.body(layout, a, 0, 1, 0.25f, 1e9));
        Mutator mutator = new Mutator(0x0badc0deL, seeds, 16, 20);
        int[] skipped = new int[1];
        for (int batch = 0; batch < 6; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 500; i++) {
                    byte[] body = mutator.next();
                    if (mutator.random().nextBoolean()) {
                        reseal(body);
                    }
                    if (acceptable(body, pending)) {
                        skipped[0]++;
                        continue;
                    }
                    assertJsonError(send(Protocol.UPDATE, body), body);
                }
            });
        }
        ModelVersion after = federation.coordinator().currentModel();
        assertEquals(before.version(), after.version());
        assertArrayEquals(before.params(), after.params());
        assertTrue(federation.scheduler().current().isPresent(), "round 0 must still be open");
        assertTrue(skipped[0] < 300, "too many mutants skipped: " + skipped[0]);
    }

    /** Whether {@code body} decodes to an update that {@code pending} may still legitimately submit. */
    private boolean acceptable(byte[] body, String pending) {
        try {
            ClientUpdate u = UpdateDecoder.decode(body, layout);
            return u.clientId().equals(pending);
        } catch (UpdateDecoder.UpdateFormatException e) {
            return false;
        }
    }

    /**
     * Seed 0x15_0e_c0de, 4,000 mutated enrollment bodies (4 batches of 1,000, each under a 10 s preemptive
     * timeout): each is answered 200 only if it is still a JSON object whose "clientId" is a valid client id,
     * otherwise with a 4xx JSON error; the model is unchanged.
     */
    @Test
    void enroll_mutatedJsonBodies_4xxJsonErrorOrValidEnrollmentAndModelUnchanged() {
        ModelVersion before = federation.coordinator().currentModel();
        List<byte[]> seeds = List.of("{\"clientId\":\"c0\"}", "{\"clientId\": \"device-17.a_b\"}",
                "{\"clientId\":\"c1\",\"publicKey\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"token\":\"t\"}",
                "[\"clientId\", 1, null, 2.5e3, true]", "{\"clientId\":null}")
                .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        Mutator mutator = new Mutator(0x150ec0deL, seeds);
        int[] enrolled = new int[1];
        for (int batch = 0; batch < 4; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 1_000; i++) {
                    byte[] body = mutator.next();
                    Reply reply = send(Protocol.ENROLL, body);
                    assertNotNull(reply, () -> "no response for " + HexFormat.of().formatHex(body));
                    if (reply.status() == 200) {
                        EnrollResponse r = Json.GSON.fromJson(reply.text(), EnrollResponse.class);
                        String id = validClientId(body);
                        if (id == null || !id.equals(r.clientId())) {
                            fail("200 for a body without a valid clientId: " + new String(body, StandardCharsets.UTF_8));
                        }
                        assertTrue(federation.clients().contains(id));
                        enrolled[0]++;
                    } else {
                        assertJsonError(reply, body);
                    }
                }
            });
        }
        ModelVersion after = federation.coordinator().currentModel();
        assertEquals(before.version(), after.version());
        assertArrayEquals(before.params(), after.params());
        assertTrue(enrolled[0] > 0, "no mutant was a valid enrollment: the fuzzer never got past parsing");
    }

    private static String validClientId(byte[] body) {
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            JsonElement id = e.getAsJsonObject().get("clientId");
            return ClientIds.require(id.getAsJsonPrimitive().getAsString());
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
