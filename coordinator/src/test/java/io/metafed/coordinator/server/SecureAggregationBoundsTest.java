package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundState;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.secagg.FixedPointEncoder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1 under secure aggregation, through the real HTTP pipeline: one device skips the clipping the task
 * announces and encodes an update of norm ≈ 1,370 with weight 1 (C = 10). The server cannot see it in the masked
 * input, but the decoded sum breaks ‖Σ wᵢΔᵢ‖ ≤ C·Σ wᵢ, so the coordinator refuses the sum and the model stays.
 */
class SecureAggregationBoundsTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Federation federation;
    EmbeddedHttp http;

    @AfterEach
    void close() throws Exception {
        EmbeddedHttp.release(http, federation);
    }

    private String get(SecAggDevice d, String route) {
        return http.getOk(d.target(route));
    }

    @Test
    void unclippedEncodedUpdate_decodedSumIsRefused_modelUnchanged() throws Exception {
        federation = Federation.open(dir, SecureAggregationApiTest.CONFIG, AuthConfig.disabled(), clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        List<SecAggDevice> d = SecAggDevice.openRound(http, federation, 3);
        ModelVersion before = federation.coordinator().currentModel();
        for (SecAggDevice x : d) {
            assertEquals(200, http.post(x.target(Protocol.SECAGG_KEYS), x.keys()).status());
        }
        federation.scheduler().tick();
        for (SecAggDevice x : d) {
            assertEquals(200, http.post(x.target(Protocol.SECAGG_SHARES), x.shares(get(x, Protocol.SECAGG_ROSTER)))
                    .status());
        }
        federation.scheduler().tick();
        for (int i = 0; i < 2; i++) { // honest: Δ = 0.01 everywhere (norm 1.37 < C), weight 5
            byte[] masked = d.get(i).masked(get(d.get(i), Protocol.SECAGG_INBOX), 0.01f, 5);
            assertEquals(200, http.post(d.get(i).target(Protocol.SECAGG_MASKED), masked).status());
        }
        SecAggDevice mallory = d.get(2);
        FixedPointEncoder e = mallory.encoder();
        int[] words = new int[mallory.params.dimension()];
        Arrays.fill(words, (int) Math.rint(10.0 * e.scale())); // Δ = 10 per parameter, never clipped
        words[words.length - 1] = (int) Math.rint(1.0 * e.weightScale()); // weight 1
        byte[] forged = mallory.maskedWords(get(mallory, Protocol.SECAGG_INBOX), words);
        assertEquals(200, http.post(mallory.target(Protocol.SECAGG_MASKED), forged).status(),
                "the masked input hides the forgery from the server");
        federation.scheduler().tick();
        for (SecAggDevice x : d) {
            assertEquals(200, http.post(x.target(Protocol.SECAGG_UNMASK), x.unmask(get(x,
                    Protocol.SECAGG_UNMASK_REQUEST))).status());
        }
        federation.scheduler().tick();

        RoundStatus status = federation.coordinator().roundStatus().orElseThrow();
        assertEquals(RoundState.FAILED, status.state(), status.toString());
        assertTrue(status.failureReason().contains("minUpdates") || status.failureReason().contains("clip"),
                status.failureReason());
        assertEquals(before.version(), federation.coordinator().currentModel().version(), "the model stays");
    }
}
