package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.server.EmbeddedHttp.Reply;
import io.metafed.model.fuzz.Mutator;
import io.metafed.model.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the secure-aggregation decoders through the real pipeline, the way
 * {@link ApiPipelineFuzzTest} fuzzes updates: round 0 (n = 3) is in its masked-input stage and client c0 has sent
 * its keys, shares and masked input; mutants of c0's four bodies are answered 200 only when identical to what c0
 * sent (an accepted repeat), otherwise with a 4xx JSON error, never a 5xx, a hang or a silent close. Afterwards the
 * model is unchanged and the round still completes normally.
 */
class SecureAggregationFuzzTest {
    @TempDir
    Path dir;

    @Test
    void secaggRoutes_mutatedBodies_4xxJsonErrorAndRoundStillCompletes() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (Federation federation = Federation.open(dir, SecureAggregationApiTest.CONFIG, AuthConfig.disabled(),
                clock)) {
            EmbeddedHttp[] http = {new EmbeddedHttp(federation.api(), federation.metrics())};
            List<SecAggDevice> d = SecAggDevice.openRound(http[0], federation, 3);
            byte[][] keys = new byte[3][];
            for (int i = 0; i < 3; i++) {
                keys[i] = d.get(i).keys();
                assertEquals(200, http[0].post(d.get(i).target(Protocol.SECAGG_KEYS), keys[i]).status());
            }
            federation.scheduler().tick();
            byte[][] shares = new byte[3][];
            for (int i = 0; i < 3; i++) {
                shares[i] = d.get(i).shares(http[0].get(d.get(i).target(Protocol.SECAGG_ROSTER)).text());
                assertEquals(200, http[0].post(d.get(i).target(Protocol.SECAGG_SHARES), shares[i]).status());
            }
            federation.scheduler().tick();
            byte[][] masked = new byte[3][];
            for (int i = 0; i < 3; i++) {
                masked[i] = d.get(i).masked(http[0].get(d.get(i).target(Protocol.SECAGG_INBOX)).text(), 0.01f * i, 4);
            }
            SecAggDevice c0 = d.get(0);
            assertEquals(200, http[0].post(c0.target(Protocol.SECAGG_MASKED), masked[0]).status());
            ModelVersion before = federation.coordinator().currentModel();

            byte[] unmask = ("{\"selfMaskShares\":[{\"owner\":1,\"share\":\"" + "A".repeat(44) + "\"}],"
                    + "\"keyShares\":[]}").getBytes(StandardCharsets.UTF_8);
            fuzz(http, federation, c0.target(Protocol.SECAGG_KEYS), keys[0], keys[1], 0x5ec0001L, 1_000);
            fuzz(http, federation, c0.target(Protocol.SECAGG_SHARES), shares[0], shares[1], 0x5ec0002L, 1_000);
            fuzz(http, federation, c0.target(Protocol.SECAGG_UNMASK), unmask, keys[1], 0x5ec0003L, 1_000);
            fuzz(http, federation, c0.target(Protocol.SECAGG_MASKED), masked[0], masked[1], 0x5ec0004L, 600);

            assertEquals(before.version(), federation.coordinator().currentModel().version());
            assertArrayEquals(before.params(), federation.coordinator().currentModel().params());
            for (int i = 1; i < 3; i++) {
                assertEquals(200, http[0].post(d.get(i).target(Protocol.SECAGG_MASKED), masked[i]).status());
            }
            federation.scheduler().tick();
            for (SecAggDevice x : d) {
                byte[] body = x.unmask(http[0].get(x.target(Protocol.SECAGG_UNMASK_REQUEST)).text());
                assertEquals(200, http[0].post(x.target(Protocol.SECAGG_UNMASK), body).status());
            }
            federation.scheduler().tick();
            assertEquals(before.version() + 1, federation.coordinator().currentModel().version());
            http[0].server.finishAndReleaseAll();
        }
    }

    /** {@code count} mutants of {@code accepted} and {@code other} (batches of 200, each under 10 s). */
    private static void fuzz(EmbeddedHttp[] http, Federation federation, String target, byte[] accepted,
            byte[] other, long seed, int count) {
        boolean binary = target.startsWith(Protocol.SECAGG_MASKED);
        // Binary: corrupt the round id, index and dimension fields (MaskedInputFormat offsets 8, 12, 16).
        Mutator mutator = binary ? new Mutator(seed, List.of(accepted, other), 8, 12, 16)
                : new Mutator(seed, List.of(accepted, other));
        for (int batch = 0; batch < count / 200; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 200; i++) {
                    byte[] body = mutator.next();
                    if (binary && mutator.random().nextBoolean()) {
                        ApiPipelineFuzzTest.reseal(body);
                    }
                    if (!http[0].server.isOpen()) {
                        http[0].server.finishAndReleaseAll();
                        http[0] = new EmbeddedHttp(federation.api(), federation.metrics());
                    }
                    Reply reply = http[0].post(target, body);
                    if (reply != null && reply.status() == 200 && Arrays.equals(body, accepted)) {
                        continue; // an identical repeat of what c0 sent is accepted again
                    }
                    ApiPipelineFuzzTest.assertJsonError(reply, body);
                }
            });
        }
    }
}
