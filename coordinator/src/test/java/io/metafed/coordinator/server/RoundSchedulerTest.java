package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.round.RoundState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler driven by {@link RoundScheduler#tick()} on a hand-moved clock. */
class RoundSchedulerTest {
    static final FederationConfig CONFIG = FederationConfig.defaults().withOverSelection(1.0)
            .withRounds(2, 2, 2, Duration.ofSeconds(10));

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void tick_tooFewClients_opensNothing() throws Exception {
        try (Federation f = Federation.open(dir, CONFIG, AuthConfig.disabled(), clock)) {
            f.clients().enroll("a");
            assertEquals(RoundScheduler.IDLE_MILLIS, f.scheduler().tick());
            assertTrue(f.scheduler().current().isEmpty());
        }
    }

    @Test
    void tick_deadlineWithoutUpdates_failsRoundAndOpensNextWithHigherIdPersisted() throws Exception {
        try (Federation f = Federation.open(dir, CONFIG, AuthConfig.disabled(), clock)) {
            for (String c : new String[] {"a", "b"}) {
                f.clients().enroll(c);
                f.coordinator().checkIn(c);
            }
            assertEquals(10_000, f.scheduler().tick());
            assertEquals(0, f.scheduler().current().orElseThrow().roundId());
            assertEquals(1, new StateFile(dir.resolve("state.json")).readNextRoundId().getAsInt());

            clock.advance(Duration.ofSeconds(10));
            f.scheduler().tick();
            assertEquals(RoundState.FAILED, f.coordinator().roundStatus().orElseThrow().state());
            assertTrue(f.metrics().render().contains("metafed_rounds_total{result=\"failed\"} 1"));

            f.scheduler().tick();
            assertEquals(1, f.scheduler().current().orElseThrow().roundId());
            assertEquals(2, new StateFile(dir.resolve("state.json")).readNextRoundId().getAsInt());
        }
    }

    @Test
    void resume_persistedNextRoundId_skipsIdsHandedOutBeforeCrash() throws Exception {
        Federation.open(dir, CONFIG, AuthConfig.disabled(), clock).close(); // initializes the directory (key, v0)
        new StateFile(dir.resolve("state.json")).writeNextRoundId(9);
        try (Federation f = Federation.open(dir, CONFIG, AuthConfig.disabled(), clock)) {
            assertEquals(9, f.coordinator().nextRoundId());
        }
    }
}
