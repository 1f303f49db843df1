package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.Adam;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.aggregate.Momentum;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.aggregate.ServerOptimizer;
import io.metafed.coordinator.model.FileCheckpointStore;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.nn.ParamLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator dropped after {@value #BEFORE} rounds and resumed from its {@link FileCheckpointStore} must end,
 * after {@value #AFTER} more rounds with the same updates, bit for bit where one that never stopped ends. Each
 * round 2 of 3 clients are sampled (replayable from seed and round id) and send deltas seeded by round and client.
 */
class OptimizerResumeTest {
    private static final int BEFORE = 4;
    private static final int AFTER = 3;
    private static final ParamLayout LAYOUT = Fixtures.tinyLayout();
    private static final float[] THETA = {0, 1, 2, 3, 4, 5};

    @TempDir
    Path dir;

    private static CoordinatorConfig config(ServerOptimizer optimizer) {
        return Fixtures.config(RoundConfig.of(2, 2, 11), new Reptile(new EpsilonSchedule.Constant(0.1), optimizer));
    }

    private static void runRounds(Coordinator c, int rounds) {
        for (int i = 0; i < rounds; i++) {
            RoundTask task = c.openRound();
            for (String client : task.selectedClients()) {
                SplittableRandom random = new SplittableRandom(task.roundId() * 1000L + client.hashCode());
                float[] delta = new float[LAYOUT.size()];
                for (int j = 0; j < delta.length; j++) {
                    delta[j] = (float) random.nextDouble(-1, 1);
                }
                c.submit(Fixtures.update(task, client, delta, 1 + random.nextInt(5)));
            }
            assertInstanceOf(RoundResult.Aggregated.class, c.closeRound());
        }
    }

    /** θ after BEFORE + AFTER rounds without a restart. */
    private ModelVersion uninterrupted(CoordinatorConfig config) throws IOException {
        Coordinator c = Fixtures.coordinator(LAYOUT, THETA, config, new FileCheckpointStore(dir.resolve("a"), LAYOUT), 3);
        runRounds(c, BEFORE + AFTER);
        return c.currentModel();
    }

    /** Runs BEFORE rounds into {@code dir/b} and drops the coordinator, as a crash would. */
    private Path crashedAfterBefore(CoordinatorConfig config) throws IOException {
        Path b = dir.resolve("b");
        runRounds(Fixtures.coordinator(LAYOUT, THETA, config, new FileCheckpointStore(b, LAYOUT), 3), BEFORE);
        return b;
    }

    private static Coordinator resume(Path store, CoordinatorConfig config) throws IOException {
        Coordinator c = Coordinator.resume(LAYOUT, new float[LAYOUT.size()], config,
                new FileCheckpointStore(store, LAYOUT), Fixtures.CLOCK, 0);
        for (int i = 0; i < 3; i++) {
            c.checkIn("c" + i);
        }
        return c;
    }

    private static ResumedOptimizerState load(Path store, CoordinatorConfig config) throws IOException {
        FileCheckpointStore s = new FileCheckpointStore(store, LAYOUT);
        return ResumedOptimizerState.load(s, s.latest().orElseThrow(), config.rule(), LAYOUT.size());
    }

    private void assertRestartIsInvisible(CoordinatorConfig config) throws IOException {
        ModelVersion expected = uninterrupted(config);
        Path b = crashedAfterBefore(config);
        ResumedOptimizerState state = load(b, config);
        assertTrue(state.resetReason().isEmpty(), state::toString);
        Coordinator resumed = resume(b, config);
        runRounds(resumed, AFTER);
        assertEquals(expected.version(), resumed.currentModel().version());
        assertArrayEquals(expected.params(), resumed.currentModel().params(), "θ bit for bit (float bits compared)");
    }

    @Test
    void resume_momentum_continuesBitForBitAsWithoutRestart() throws IOException {
        assertRestartIsInvisible(config(new Momentum(0.9)));
    }

    @Test
    void resume_adam_continuesBitForBitAsWithoutRestart() throws IOException {
        assertRestartIsInvisible(config(Adam.defaults()));
    }

    /** Old checkpoints have no optimizer file: θ is still resumed, the optimizer starts fresh and so drifts. */
    @Test
    void resume_withoutOptimizerFile_startsFreshStateOnTheCheckpointedModel() throws IOException {
        CoordinatorConfig config = config(Adam.defaults());
        ModelVersion expected = uninterrupted(config);
        Path b = crashedAfterBefore(config);
        ModelVersion checkpointed = new FileCheckpointStore(b, LAYOUT).latest().orElseThrow();
        Files.delete(b.resolve(String.format("optimizer-%012d.mfos", checkpointed.version())));

        String reason = load(b, config).resetReason().orElseThrow();
        assertTrue(reason.contains("no optimizer state was stored with model version " + BEFORE), reason);
        Coordinator resumed = resume(b, config);
        assertEquals(checkpointed, resumed.currentModel());
        runRounds(resumed, AFTER);
        assertFalse(Arrays.equals(expected.params(), resumed.currentModel().params()),
                "a fresh Adam state must change the result, else the continuity tests prove nothing");
    }

    @Test
    void resume_damagedOptimizerFile_warnsNamingTheFileAndKeepsTheModel() throws IOException {
        CoordinatorConfig config = config(new Momentum(0.9));
        Path b = crashedAfterBefore(config);
        ModelVersion checkpointed = new FileCheckpointStore(b, LAYOUT).latest().orElseThrow();
        Path file = b.resolve(String.format("optimizer-%012d.mfos", checkpointed.version()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[40] ^= 0x04;
        Files.write(file, bytes);

        ResumedOptimizerState resumedState = load(b, config);
        String reason = resumedState.resetReason().orElseThrow();
        assertTrue(reason.contains("unreadable") && reason.contains(file.toString()) && reason.contains("checksum"),
                reason);
        assertEquals(0.0, ((Momentum.State) resumedState.state()).velocity(0), 0.0);
        Coordinator resumed = resume(b, config);
        assertEquals(checkpointed, resumed.currentModel());
        runRounds(resumed, AFTER);
        assertEquals(BEFORE + AFTER, resumed.currentModel().version());
    }

    @Test
    void resume_afterSwitchingOptimizer_startsFreshSayingWhy() throws IOException {
        Path b = crashedAfterBefore(config(new Momentum(0.9)));
        String reason = load(b, config(Adam.defaults())).resetReason().orElseThrow();
        assertTrue(reason.contains("stored with momentum state for 6 parameters, expected adam state for 6"), reason);
        runRounds(resume(b, config(Adam.defaults())), AFTER);
    }

    @Test
    void resume_afterChangingBeta_startsFreshSayingWhich() throws IOException {
        Path b = crashedAfterBefore(config(new Momentum(0.9)));
        String reason = load(b, config(new Momentum(0.5))).resetReason().orElseThrow();
        assertTrue(reason.contains("optimizer.beta changed from 0.9 to 0.5 since model version " + BEFORE), reason);
    }

    @Test
    void resume_statelessRuleAfterMomentum_needsNoStateAndSaysNothing() throws IOException {
        Path b = crashedAfterBefore(config(new Momentum(0.9)));
        AggregationRule plain = Reptile.constant(0.1);
        FileCheckpointStore store = new FileCheckpointStore(b, LAYOUT);
        ResumedOptimizerState state = ResumedOptimizerState.load(store, store.latest().orElseThrow(), plain, 6);
        assertSame(OptimizerState.Empty.INSTANCE, state.state());
        assertTrue(state.resetReason().isEmpty());
    }
}
