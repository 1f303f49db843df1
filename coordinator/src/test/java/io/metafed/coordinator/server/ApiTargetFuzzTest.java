package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.model.fuzz.Mutator;
import io.metafed.model.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of GET request targets (the task route's {@code client} parameter, the model route's
 * {@code version}, status, health, metrics and model key) through the real pipeline: each is answered 200/204
 * or with a 4xx JSON error, never a 5xx or a silently closed channel, and the global model is unchanged.
 */
class ApiTargetFuzzTest {
    @TempDir
    Path dir;
    Federation federation;
    EmbeddedHttp http;

    @BeforeEach
    void open() throws Exception {
        federation = Federation.open(dir, ApiPipelineTest.CONFIG, AuthConfig.disabled(),
                new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        http = new EmbeddedHttp(federation.api(), federation.metrics());
    }

    @AfterEach
    void close() throws Exception {
        http.server.finishAndReleaseAll();
        federation.close();
    }

    /** Seed 0x7a56e7, 4,000 mutated targets (4 batches of 1,000, each under a 60 s preemptive timeout). */
    @Test
    void get_mutatedTargets_answeredWithoutServerErrorAndModelUnchanged() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.post(Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}").status());
        }
        federation.scheduler().tick();
        ModelVersion before = federation.coordinator().currentModel();
        List<byte[]> seeds = List.of(Protocol.TASK + "?client=c0", Protocol.TASK + "?client=c1&client=c2",
                Protocol.TASK + "?client=%63%32", Protocol.MODEL + "?version=0",
                Protocol.MODEL + "?version=18446744073709551616", Protocol.STATUS, Protocol.STATUS + "?a=b&a",
                Protocol.HEALTH, Protocol.METRICS, Protocol.MODEL_KEY)
                .stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
        Mutator mutator = new Mutator(0x7a56e7L, seeds);
        int[] answered = new int[2]; // 2xx, 4xx
        for (int batch = 0; batch < 4; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 1_000; i++) {
                    byte[] target = mutator.next();
                    Reply reply = get(target);
                    String hex = HexFormat.of().formatHex(target);
                    assertNotNull(reply, () -> "no response (channel closed?) for " + hex);
                    if (reply.status() == 200 || reply.status() == 204) {
                        answered[0]++;
                    } else {
                        ApiPipelineFuzzTest.assertJsonError(reply, target);
                        answered[1]++;
                    }
                }
            });
        }
        ModelVersion after = federation.coordinator().currentModel();
        assertEquals(before.version(), after.version());
        assertArrayEquals(before.params(), after.params());
        assertTrue(answered[0] > 0 && answered[1] > 0, "2xx " + answered[0] + ", 4xx " + answered[1]);
    }

    /** A GET of {@code target} as raw bytes: mutants may hold bytes no HTTP client library would send. */
    private Reply get(byte[] target) {
        if (!http.server.isOpen()) {
            http.server.finishAndReleaseAll();
            http = new EmbeddedHttp(federation.api(), federation.metrics());
        }
        byte[] line = ("GET " + new String(target, StandardCharsets.ISO_8859_1) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return http.raw(line);
    }
}
