package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server mid-round and starting a new one on the same data directory. */
@Timeout(90)
class RestartTest {
    static final List<String> CLIENTS = List.of("c0", "c1", "c2");
    static final FederationConfig FEDERATION = FederationConfig.defaults().withOverSelection(1.0)
            .withRounds(3, 2, 3, Duration.ofSeconds(30));

    @TempDir
    Path dir;

    /** Runs one round with every client and returns the id of the round that ran. */
    static int runRound(TestClient http, ParamLayout layout, long version) throws Exception {
        int round = -1;
        for (String c : CLIENTS) {
            TaskResponse task = http.awaitTask(c);
            round = task.roundId();
            HttpResponse<byte[]> r = http.update(Updates.body(layout, c, round, version, 0.1f, 5));
            assertEquals(202, r.statusCode(), () -> new String(r.body()));
        }
        http.awaitModelVersion(version + 1);
        return round;
    }

    @Test
    void restartMidRound_servesLastCommittedModelAndContinuesWithNewRoundIds() throws Exception {
        ParamLayout layout = FEDERATION.layout();
        ServerConfig config = ServerConfig.local(dir).withFederation(FEDERATION);
        Weights committed;
        int abandonedRound;
        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            for (String c : CLIENTS) {
                http.enroll(c);
            }
            runRound(http, layout, 0);
            committed = http.model(layout);
            TaskResponse open = http.awaitTask("c0");
            abandonedRound = open.roundId();
            assertEquals(202, http.update(Updates.body(layout, "c0", abandonedRound, 1, 0.1f, 5)).statusCode());
        }
        assertTrue(Files.readString(dir.resolve("state.json")).contains("\"formatVersion\":1"));

        try (CoordinatorServer server = CoordinatorServer.start(config)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            Weights served = http.model(layout);
            assertEquals("1", served.metadata().get("model.version"));
            assertArrayEquals(committed.params(), served.params(), "bytes-equal parameters after restart");

            // Enrollments survived (clients.log); the abandoned round's update is stale.
            HttpResponse<byte[]> late = http.update(Updates.body(layout, "c1", abandonedRound, 1, 0.1f, 5));
            assertEquals(409, late.statusCode());
            assertTrue(new String(late.body()).contains("stale_round"));

            int next = runRound(http, layout, 1);
            assertTrue(next > abandonedRound, "round ids continue: " + next + " after " + abandonedRound);
            assertEquals("2", http.model(layout).metadata().get("model.version"));
        }
    }
}
