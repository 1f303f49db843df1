package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.ContributionBounds.Action;
import io.metafed.coordinator.round.ContributionBounds.Combiner;
import io.metafed.coordinator.round.ContributionBounds.NormBound;
import io.metafed.coordinator.round.InvalidUpdateException;
import io.metafed.coordinator.round.ParticipantSampler;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.round.SecureAggregate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ContributionBounds} on a 6-parameter model: caps, clips, refusals, robust combiners, secure-sum checks. */
class ContributionBoundsTest {
    private static final float[] ZERO = new float[6];

    private static Coordinator coordinator(ContributionBounds bounds, int perRound, int min) {
        CoordinatorConfig config = new CoordinatorConfig(RoundConfig.of(perRound, min, 1), Fixtures.CLIENT,
                Reptile.constant(1.0), bounds, ParticipantSampler.seeded(1));
        return Fixtures.coordinator(Fixtures.tinyLayout(), ZERO.clone(), config, new InMemoryCheckpointStore(),
                perRound);
    }

    private static float[] filled(float v) {
        float[] d = new float[6];
        java.util.Arrays.fill(d, v);
        return d;
    }

    /** Runs one round with {@code deltas}/{@code weights} in selection order and returns θ' − θ (θ = 0). */
    private static RoundResult round(Coordinator c, float[][] deltas, double[] weights) {
        RoundTask task = c.openRound();
        for (int i = 0; i < deltas.length; i++) {
            c.submit(Fixtures.update(task, task.selectedClients().get(i), deltas[i], weights[i]));
        }
        return c.closeRound();
    }

    @Test
    void weightAboveCap_countsAsTheCap() {
        ContributionBounds bounds = new ContributionBounds(10, new NormBound.None(), Action.CLIP, Combiner.mean());
        Coordinator c = coordinator(bounds, 2, 2);
        round(c, new float[][] {filled(1), filled(0)}, new double[] {1e30, 10});
        assertArrayEquals(filled(0.5f), c.currentModel().params(), 1e-6f, "(10·1 + 10·0) / 20");
    }

    @Test
    void fixedBound_clipsOrRefusesAtSubmission() {
        Coordinator clip = coordinator(ContributionBounds.fixed(100, 1.0), 2, 2);
        round(clip, new float[][] {filled(10), filled(0)}, new double[] {1, 1});
        float perCoordinate = (float) (1.0 / Math.sqrt(6)); // clipped to norm 1
        assertArrayEquals(filled(perCoordinate / 2), clip.currentModel().params(), 1e-6f);

        Coordinator refuse = coordinator(ContributionBounds.fixed(100, 1.0).withAction(Action.REFUSE), 3, 2);
        RoundTask task = refuse.openRound();
        InvalidUpdateException e = assertThrows(InvalidUpdateException.class, () -> refuse.submit(
                Fixtures.update(task, task.selectedClients().get(0), filled(10), 1)));
        assertTrue(e.getMessage().contains("L2 norm") && e.getMessage().contains("C=1.0"), e.getMessage());
        refuse.submit(Fixtures.update(task, task.selectedClients().get(1), filled(0.1f), 1));
        refuse.submit(Fixtures.update(task, task.selectedClients().get(2), filled(0.3f), 1));
        assertInstanceOf(RoundResult.Aggregated.class, refuse.closeRound());
        assertArrayEquals(filled(0.2f), refuse.currentModel().params(), 1e-6f, "the honest two, unchanged");
    }

    @Test
    void medianBound_refuseLeavesTheOutlierOut_butFailsWhenTooFewRemain() {
        ContributionBounds bounds = new ContributionBounds(100, new NormBound.MedianMultiple(3), Action.REFUSE,
                Combiner.mean());
        Coordinator c = coordinator(bounds, 3, 2);
        RoundResult r = round(c, new float[][] {filled(0.1f), filled(0.2f), filled(50)}, new double[] {1, 1, 1});
        assertInstanceOf(RoundResult.Aggregated.class, r);
        assertArrayEquals(filled(0.15f), c.currentModel().params(), 1e-6f);

        Coordinator strict = coordinator(bounds, 3, 3);
        RoundResult failed = round(strict, new float[][] {filled(0.1f), filled(0.2f), filled(50)},
                new double[] {1, 1, 1});
        RoundResult.Failed f = assertInstanceOf(RoundResult.Failed.class, failed);
        assertTrue(f.reason().contains("minUpdates=3") && f.reason().contains("refused"), f.reason());
        assertArrayEquals(ZERO, strict.currentModel().params(), "a failed round leaves θ unchanged");
    }

    @Test
    void medianAndTrimmedMean_ignoreOneOutlierPerCoordinate() {
        float[][] deltas = {filled(0.1f), filled(0.2f), filled(0.3f), filled(0.4f), filled(1000)};
        double[] weights = {1, 1, 1, 1, 1e9};
        ContributionBounds median = ContributionBounds.unbounded().withCombiner(new Combiner.Median());
        Coordinator m = coordinator(median, 5, 5);
        round(m, deltas, weights);
        assertArrayEquals(filled(0.3f), m.currentModel().params(), 1e-6f);

        ContributionBounds trimmed = ContributionBounds.unbounded().withCombiner(new Combiner.TrimmedMean(0.2));
        Coordinator t = coordinator(trimmed, 5, 5);
        round(t, deltas, weights);
        assertArrayEquals(filled(0.3f), t.currentModel().params(), 1e-6f, "mean of 0.2, 0.3, 0.4");
    }

    @Test
    void secureSum_overWeightCapOrClipNorm_isRefusedAndRoundUntouched() {
        ContributionBounds bounds = ContributionBounds.fixed(10, 1.0);
        Coordinator c = coordinator(bounds, 3, 2);
        RoundTask task = c.openRound();
        List<String> two = task.selectedClients().subList(0, 2);
        // Two clients with weight ≤ 10 each cannot total 25.
        SecureAggregate heavy = new SecureAggregate(task.roundId(), 0, task.layoutId(), new double[6], 25, two);
        InvalidUpdateException w = assertThrows(InvalidUpdateException.class, () -> c.submitSecureAggregate(heavy));
        assertTrue(w.getMessage().contains("count × maxWeight"), w.getMessage());
        // Total weight 2 allows ‖Σ wᵢΔᵢ‖ ≤ C·2 = 2; this sum has norm 10·√6.
        double[] big = new double[6];
        java.util.Arrays.fill(big, 10);
        SecureAggregate unclipped = new SecureAggregate(task.roundId(), 0, task.layoutId(), big, 2, two);
        InvalidUpdateException n = assertThrows(InvalidUpdateException.class,
                () -> c.submitSecureAggregate(unclipped));
        assertTrue(n.getMessage().contains("did not clip"), n.getMessage());
        double[] ok = new double[6];
        java.util.Arrays.fill(ok, 0.5);
        c.submitSecureAggregate(new SecureAggregate(task.roundId(), 0, task.layoutId(), ok, 2, two));
        assertInstanceOf(RoundResult.Aggregated.class, c.closeRound());
        assertArrayEquals(filled(0.25f), c.currentModel().params(), 1e-6f);
    }

    @Test
    void overflowingUpdate_isRefusedEvenUnbounded() {
        Coordinator c = coordinator(ContributionBounds.unbounded(), 2, 1);
        RoundTask task = c.openRound();
        InvalidUpdateException e = assertThrows(InvalidUpdateException.class, () -> c.submit(
                Fixtures.update(task, task.selectedClients().get(0), filled(3e38f), 1e300)));
        assertTrue(e.getMessage().contains("L2 norm"), e.getMessage());
        c.submit(Fixtures.update(task, task.selectedClients().get(1), filled(1), 1));
        assertInstanceOf(RoundResult.Aggregated.class, c.closeRound());
        assertArrayEquals(filled(1), c.currentModel().params(), 0f);
    }

    @Test
    void invalidSettings_areRefusedNamingTheRule() {
        assertThrows(IllegalArgumentException.class, () -> new NormBound.MedianMultiple(0.5));
        assertThrows(IllegalArgumentException.class, () -> new NormBound.Fixed(-1));
        assertThrows(IllegalArgumentException.class, () -> new Combiner.TrimmedMean(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContributionBounds(0, new NormBound.None(), Action.CLIP, Combiner.mean()));
        assertTrue(e.getMessage().contains("maxWeight"), e.getMessage());
    }
}
