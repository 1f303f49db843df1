package io.metafed.coordinator.server;

import static io.metafed.coordinator.server.SecureAggregationApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.secagg.SecAggMode;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecAggWire;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.NeighbourGraph;
import io.metafed.security.secagg.SecAggConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SecAgg+ round through the real HTTP pipeline: 100 devices (k = 94 neighbours, t = 48 per neighbourhood, from
 * {@code SecAggPlusParameters}), 30 of them vanishing after their shares; the model moves by the survivors' mean.
 */
class SecAggPlusApiTest {
    static final int N = 100;
    static final SecAggSettings PLUS = new SecAggSettings(10.0, 1024, Duration.ofSeconds(5), Duration.ofSeconds(10))
            .withMode(SecAggMode.SECAGG_PLUS);

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
    void round_secAggPlusWith30PercentDropout_tasksAnnounceTheGraphAndModelMovesBySurvivorsMean() throws Exception {
        FederationConfig config = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(N, 2, N, Duration.ofSeconds(10)).withSecureAggregation(PLUS);
        federation = Federation.open(dir, config, AuthConfig.disabled(), clock);
        http = new EmbeddedHttp(federation.api(), federation.metrics());
        List<SecAggDevice> d = SecAggDevice.openRound(http, federation, N);
        assertEquals(N, d.size());
        SecureAggregationTask first = d.get(0).params;
        assertEquals(SecureAggregationTask.MODE_SECAGG_PLUS, first.mode());
        assertEquals(94, first.neighbours());
        assertEquals(48, first.threshold());
        for (SecAggDevice x : d) {
            assertEquals(first.graphSeed(), x.params.graphSeed(), "every device is told the same graph");
            assertEquals(first.mode(), x.params.mode());
        }
        ModelVersion before = federation.coordinator().currentModel();

        for (SecAggDevice x : d) {
            assertEquals(200, http.post(x.target(Protocol.SECAGG_KEYS), x.keys()).status());
        }
        federation.scheduler().tick();
        NeighbourGraph graph = NeighbourGraph.of(new SecAggConfig(N, first.threshold(), first.dimension(),
                d.get(0).task.roundId(), first.neighbours(), first.graphSeed()));
        for (SecAggDevice x : d) {
            String roster = get(x, Protocol.SECAGG_ROSTER);
            // Unsigned SecAgg+: the device gets itself and its 94 neighbours, not all 100 entries.
            List<SecAggWire.PeerKeys> entries = Json.GSON.fromJson(roster, SecAggWire.Roster.class).keys();
            assertEquals(95, entries.size());
            int index = x.params.clientIndex();
            assertTrue(entries.stream().allMatch(e -> e.index() == index || graph.adjacent(index, e.index())));
            byte[] shares = x.shares(roster);
            SecAggWire.Shares parsed = Json.GSON.fromJson(new String(shares, java.nio.charset.StandardCharsets.UTF_8),
                    SecAggWire.Shares.class);
            assertEquals(94, parsed.shares().size(), "one sealed pair per neighbour");
            if (x == d.get(0)) {
                // A Bonawitz-style extra share to a non-neighbour is refused; the honest upload still goes in.
                int me = x.params.clientIndex();
                int stranger = IntStream.rangeClosed(1, N).filter(v -> v != me && !graph.adjacent(me, v))
                        .findFirst().orElseThrow();
                List<SecAggWire.Sealed> more = new ArrayList<>(parsed.shares());
                more.add(new SecAggWire.Sealed(stranger, parsed.shares().get(0).ciphertext()));
                assertError(http.post(x.target(Protocol.SECAGG_SHARES), SecAggDevice.json(new SecAggWire.Shares(more))),
                        400, ErrorCodes.SECAGG_BAD_MESSAGE);
            }
            assertEquals(200, http.post(x.target(Protocol.SECAGG_SHARES), shares).status());
        }
        federation.scheduler().tick();
        List<SecAggDevice> survivors = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            if (i % 10 < 7) { // 30 vanish after sharing: the case that makes the server regenerate masks
                survivors.add(d.get(i));
            }
        }
        for (SecAggDevice x : survivors) {
            byte[] masked = x.masked(get(x, Protocol.SECAGG_INBOX), 0.01f, 5);
            assertEquals(200, http.post(x.target(Protocol.SECAGG_MASKED), masked).status());
        }
        clock.advance(PLUS.stageTimeout()); // the 30 never answer: the stage closes at its timeout
        federation.scheduler().tick();
        for (SecAggDevice x : survivors) {
            assertEquals(200, http.post(x.target(Protocol.SECAGG_UNMASK), x.unmask(get(x,
                    Protocol.SECAGG_UNMASK_REQUEST))).status());
        }
        federation.scheduler().tick();

        ModelVersion after = federation.coordinator().currentModel();
        assertEquals(before.version() + 1, after.version(), "round failed: "
                + federation.coordinator().roundStatus().map(Object::toString).orElse("?"));
        FixedPointEncoder e = d.get(0).encoder();
        int k = survivors.size();
        double mean = 0.01f; // every survivor sent Δ = 0.01 (as a float) with weight 5
        double bound = (e.maxAbsError(k) + mean * e.maxAbsWeightError(k)) / (5.0 * k - e.maxAbsWeightError(k));
        for (int i = 0; i < after.params().length; i++) {
            float exact = (float) (before.params()[i] + mean);
            assertTrue(Math.abs(after.params()[i] - exact) <= bound + 2 * Math.ulp(exact), "coordinate " + i);
        }
    }
}
