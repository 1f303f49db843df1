package io.metafed.sdk.transport;

import static io.metafed.sdk.SdkFixtures.DATA;
import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.SdkFixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole round of one device over an in-memory {@link CoordinatorTransport}. */
class FederatedParticipantTest {
    private static final int USER = SdkFixtures.userWithRatings(20, 40);
    private static final GlobalModel THETA = GlobalModel.of(3, LAYOUT, SdkFixtures.params(5));
    @TempDir
    Path dir;

    /** Serves a fixed task (or none) and model, and keeps what was submitted. */
    private static final class FakeTransport implements CoordinatorTransport {
        TaskResponse task;
        GlobalModel model = THETA;
        int taskCalls;
        int downloads;
        Optional<Duration> retryAfter = Optional.empty();
        final List<LocalUpdate> submitted = new ArrayList<>();

        @Override
        public void enroll(String clientId) {
        }

        @Override
        public Optional<TaskResponse> task(String clientId) {
            taskCalls++;
            return Optional.ofNullable(task);
        }

        @Override
        public TaskPoll poll(String clientId) {
            taskCalls++;
            return task == null ? TaskPoll.none(retryAfter) : TaskPoll.of(task);
        }

        @Override
        public GlobalModel downloadModel(ParamLayout layout) {
            downloads++;
            return model;
        }

        @Override
        public void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout) {
            submitted.add(update);
        }
    }

    private final FakeTransport transport = new FakeTransport();

    @BeforeEach
    void requireOnnxRuntime() {
        SdkFixtures.assumeOnnxEnabled();
    }

    private MetafedClient client(List<Interaction> ratings) {
        MetafedClient client = MetafedClient.builder().storePath(dir.resolve("ratings.store"))
                .user(DATA.user(USER)).catalog(DATA).layout(LAYOUT).build();
        ratings.forEach(in -> client.recordRating(in.item(), in.rating()));
        return client;
    }

    @Test
    void participate_noTask_returnsNoTaskWithoutDownloading() {
        try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
            RoundOutcome outcome = new FederatedParticipant("device-1", client, LAYOUT, transport, 1).participate();
            assertEquals(RoundOutcome.Kind.NO_TASK, outcome.kind());
            assertEquals(RoundOutcome.NO_ROUND, outcome.roundId());
            assertEquals(0, transport.downloads);
        }
    }

    @Test
    void participate_task_submitsDeltaOfLayoutLengthWithStoredRatingCount() {
        transport.task = TransportFixtures.task(7, 3);
        List<Interaction> ratings = SdkFixtures.ratingsOf(USER);
        try (MetafedClient client = client(ratings)) {
            RoundOutcome outcome = new FederatedParticipant("device-1", client, LAYOUT, transport, 1).participate();
            assertEquals(RoundOutcome.Kind.SUBMITTED, outcome.kind());
            assertEquals(7, outcome.roundId());
            assertEquals(3, outcome.modelVersion());
            LocalUpdate update = transport.submitted.get(0);
            assertEquals(LAYOUT.size(), update.delta().length);
            assertEquals(ratings.size(), update.exampleCount());
            assertEquals(ratings.size(), outcome.exampleCount());
            assertEquals(3, update.modelVersion());
        }
    }

    @Test
    void participate_noRatings_returnsNoRatingsWithoutAskingForTask() {
        transport.task = TransportFixtures.task(7, 3);
        try (MetafedClient client = client(List.of())) {
            RoundOutcome outcome = new FederatedParticipant("device-1", client, LAYOUT, transport, 1).participate();
            assertEquals(RoundOutcome.Kind.NO_RATINGS, outcome.kind());
            assertEquals(0, transport.taskCalls);
        }
    }

    @Test
    void participate_modelMovedOnSinceTask_refusedStaleModelWithoutSubmitting() {
        transport.task = TransportFixtures.task(7, 2);
        try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
            var participant = new FederatedParticipant("device-1", client, LAYOUT, transport, 1);
            TransportException e = assertThrows(TransportException.class, participant::participate);
            assertEquals("stale_model", e.errorCode().orElseThrow());
            assertTrue(transport.submitted.isEmpty());
        }
    }

    @Test
    void participate_taskOfOtherLayout_refusedLayoutMismatchWithoutDownloading() {
        transport.task = new TaskResponse(7, 3, "0123456789abcdef", 0L, 3, 0.05, 8);
        try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
            var participant = new FederatedParticipant("device-1", client, LAYOUT, transport, 1);
            TransportException e = assertThrows(TransportException.class, participant::participate);
            assertEquals("layout_mismatch", e.errorCode().orElseThrow());
            assertEquals(0, transport.downloads);
        }
    }

    @Test
    void participate_unknownOrUnfittingAlgorithm_refusedWithoutDownloadingOrSending() {
        String layoutId = TransportFixtures.task(7, 3).layoutId();
        for (String algorithm : new String[] {"quantum-sgd", "fedrecon", "meta-sgd"}) {
            transport.task = new TaskResponse(7, 3, layoutId, 0L, 3, 0.05, 8, null, algorithm, 0, 0);
            try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
                var participant = new FederatedParticipant("device-1", client, LAYOUT, transport, 1);
                TransportException e = assertThrows(TransportException.class, participant::participate);
                assertEquals("unsupported_algorithm", e.errorCode().orElseThrow(), algorithm);
                assertTrue(e.getMessage().contains(algorithm), e.getMessage());
                assertEquals(0, transport.downloads);
                assertTrue(transport.submitted.isEmpty());
            }
        }
    }

    @Test
    void participate_runsTheAnnouncedAlgorithm() {
        String layoutId = TransportFixtures.task(7, 3).layoutId();
        float[][] deltas = new float[2][];
        String[] algorithms = {"fedreptile", "fomaml"};
        for (int i = 0; i < 2; i++) {
            FakeTransport fake = new FakeTransport();
            fake.task = new TaskResponse(7, THETA.version(), layoutId, 0L, 3, 0.05, 8, null, algorithms[i], 0, 0);
            try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
                new FederatedParticipant("device-1", client, LAYOUT, fake, 1).participate();
                deltas[i] = fake.submitted.get(0).delta();
                client.deleteAllData(); // the next client starts from the same ratings, not twice as many
            }
        }
        assertFalse(java.util.Arrays.equals(deltas[0], deltas[1]), "FOMAML's update is not Reptile's");
    }

    @Test
    void participate_invalidHyperparameters_badResponse() {
        transport.task = new TaskResponse(7, 3, TransportFixtures.task(7, 3).layoutId(), 0L, 3, -1.0, 8);
        try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
            var participant = new FederatedParticipant("device-1", client, LAYOUT, transport, 1);
            assertEquals(TransportException.Kind.BAD_RESPONSE,
                    assertThrows(TransportException.class, participant::participate).kind());
        }
    }

    @Test
    void participate_ineligible_skipsWithoutAskingTheCoordinator() {
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);
        EligibilityCheck.DeviceConditions[] now = {new EligibilityCheck.DeviceConditions(true, false, true)};
        try (MetafedClient client = client(SdkFixtures.ratingsOf(USER))) {
            FederatedParticipant p = new FederatedParticipant("device-1", client, LAYOUT, transport, 1,
                    EligibilityCheck.chargingUnmeteredIdle(() -> now[0]), Duration.ofMinutes(30), clock);
            RoundOutcome skipped = p.participate();
            assertEquals(RoundOutcome.Kind.NOT_ELIGIBLE, skipped.kind());
            assertEquals(0, transport.taskCalls, "an ineligible device does not poll");
            assertEquals(clock.instant().plus(Duration.ofMinutes(30)), skipped.nextPoll());
            assertEquals(Optional.of("network is metered or absent"),
                    EligibilityCheck.chargingUnmeteredIdle(() -> now[0]).ineligibleBecause());

            now[0] = new EligibilityCheck.DeviceConditions(true, true, true);
            transport.retryAfter = Optional.of(Duration.ofSeconds(42));
            RoundOutcome none = p.participate();
            assertEquals(RoundOutcome.Kind.NO_TASK, none.kind());
            assertEquals(Optional.of(Duration.ofSeconds(42)), none.retryAfter());
            assertEquals(clock.instant().plusSeconds(42), none.nextPoll(), "the server's Retry-After wins");

            transport.task = new TaskResponse(4, THETA.version(), io.metafed.model.onnx.MetafedGraphs.hex(LAYOUT.id()),
                    0L, 2, 0.05, 8);
            RoundOutcome done = p.participate();
            assertEquals(RoundOutcome.Kind.SUBMITTED, done.kind());
            assertEquals(Optional.empty(), done.retryAfter());
            assertEquals(clock.instant().plus(Duration.ofMinutes(30)), done.nextPoll());
        }
    }
}
