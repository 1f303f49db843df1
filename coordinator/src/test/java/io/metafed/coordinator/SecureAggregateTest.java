package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.aggregate.FedAvg;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.ClientNotSelectedException;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.DuplicateUpdateException;
import io.metafed.coordinator.round.InvalidUpdateException;
import io.metafed.coordinator.round.LayoutMismatchException;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.round.RoundStateException;
import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.coordinator.round.StaleUpdateException;
import io.metafed.security.dp.PrivacyBudget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Coordinator#submitSecureAggregate}: a pre-summed round gives the same θ' as its individual updates, and
 * every refusal leaves the round untouched.
 */
class SecureAggregateTest {
    private static final float[] THETA = {1, 2, 3, 4, 5, 6};
    private static final float[][] DELTAS = {{1, 0, 0, 0, 0, 2}, {0, 2, 0, 0, 0, 0}, {0, 0, 3, 0, 0, -1}};
    private static final double[] WEIGHTS = {1, 2, 1};
    /** Σ wᵢΔᵢ = {1, 4, 3, 0, 0, 1}, Σ wᵢ = 4, so Δ̄ = {0.25, 1, 0.75, 0, 0, 0.25}. */
    private static final double[] WEIGHTED_SUM = {1, 4, 3, 0, 0, 1};

    private static Coordinator coordinator(AggregationRule rule, RoundConfig rounds, int clients) {
        return Fixtures.coordinator(Fixtures.tinyLayout(), THETA.clone(), Fixtures.config(rounds, rule),
                new InMemoryCheckpointStore(), clients);
    }

    private static SecureAggregate aggregate(RoundTask task, List<String> participants) {
        return new SecureAggregate(task.roundId(), task.modelVersion(), task.layoutId(), WEIGHTED_SUM, 4.0,
                participants);
    }

    private static float[] viaUpdates(AggregationRule rule) {
        Coordinator c = coordinator(rule, RoundConfig.of(3, 3, 1), 3);
        RoundTask task = c.openRound();
        for (int i = 0; i < 3; i++) {
            c.submit(Fixtures.update(task, task.selectedClients().get(i), DELTAS[i], WEIGHTS[i]));
        }
        c.closeRound();
        return c.currentModel().params();
    }

    private static float[] viaSecureAggregate(AggregationRule rule) {
        Coordinator c = coordinator(rule, RoundConfig.of(3, 3, 1), 3);
        RoundTask task = c.openRound();
        c.submitSecureAggregate(aggregate(task, task.selectedClients()));
        assertInstanceOf(RoundResult.Aggregated.class, c.closeRound());
        assertEquals(3, c.currentModel().provenance().participants());
        return c.currentModel().params();
    }

    @Test
    void submitSecureAggregate_reptile_equalsHandComputedAndIndividualUpdates() {
        float[] expected = {1.125f, 2.5f, 3.375f, 4, 5, 6.125f}; // θ + 0.5·Δ̄
        assertArrayEquals(expected, viaSecureAggregate(Reptile.constant(0.5)), 1e-6f);
        assertArrayEquals(viaUpdates(Reptile.constant(0.5)), viaSecureAggregate(Reptile.constant(0.5)), 1e-6f);
    }

    @Test
    void submitSecureAggregate_fedAvg_equalsHandComputedAndIndividualUpdates() {
        float[] expected = {1.25f, 3, 3.75f, 4, 5, 6.25f}; // Σ wᵢ(θ + Δᵢ) / Σ wᵢ = θ + Δ̄
        assertArrayEquals(expected, viaSecureAggregate(new FedAvg()), 1e-6f);
        assertArrayEquals(viaUpdates(new FedAvg()), viaSecureAggregate(new FedAvg()), 1e-6f);
    }

    @Test
    void submitSecureAggregate_countsParticipantsForMinUpdates() {
        Coordinator c = coordinator(Reptile.constant(1.0), RoundConfig.of(3, 2, 42), 5);
        RoundTask task = c.openRound();
        c.submitSecureAggregate(aggregate(task, task.selectedClients().subList(0, 1)));
        assertEquals(1, c.roundStatus().orElseThrow().accepted());
        assertInstanceOf(RoundResult.Failed.class, c.closeRound());

        RoundTask next = c.openRound();
        c.submitSecureAggregate(new SecureAggregate(next.roundId(), next.modelVersion(), next.layoutId(),
                WEIGHTED_SUM, 4.0, next.selectedClients().subList(0, 2)));
        assertInstanceOf(RoundResult.Aggregated.class, c.closeRound());
    }

    @Test
    void submitSecureAggregate_invalid_refusedWithoutEffect() {
        Coordinator c = coordinator(Reptile.constant(1.0), RoundConfig.of(3, 2, 42), 5);
        RoundTask t = c.openRound();
        List<String> sel = t.selectedClients();
        List<String> outsiders = new ArrayList<>(List.of("c0", "c1", "c2", "c3", "c4"));
        outsiders.removeAll(sel);
        double[] nan = WEIGHTED_SUM.clone();
        nan[2] = Double.NaN;
        refused(c, StaleUpdateException.class, new SecureAggregate(t.roundId() + 1, t.modelVersion(), t.layoutId(),
                WEIGHTED_SUM, 4, sel));
        refused(c, StaleUpdateException.class, new SecureAggregate(t.roundId(), t.modelVersion() + 1, t.layoutId(),
                WEIGHTED_SUM, 4, sel));
        refused(c, LayoutMismatchException.class, new SecureAggregate(t.roundId(), t.modelVersion(),
                t.layoutId() + 1, WEIGHTED_SUM, 4, sel));
        refused(c, LayoutMismatchException.class, new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                new double[5], 4, sel));
        refused(c, InvalidUpdateException.class, new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                nan, 4, sel));
        refused(c, InvalidUpdateException.class, new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                WEIGHTED_SUM, 0, sel));
        refused(c, InvalidUpdateException.class, new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                WEIGHTED_SUM, Double.POSITIVE_INFINITY, sel));
        refused(c, ClientNotSelectedException.class, new SecureAggregate(t.roundId(), t.modelVersion(),
                t.layoutId(), WEIGHTED_SUM, 4, List.of(sel.get(0), outsiders.get(0))));
        assertEquals(0, c.roundStatus().orElseThrow().accepted());
        // Nothing was counted, so a valid aggregate is still accepted afterwards.
        c.submitSecureAggregate(aggregate(t, sel));
        assertEquals(3, c.roundStatus().orElseThrow().accepted());
    }

    @Test
    void submitSecureAggregate_afterIndividualUpdate_refused() {
        Coordinator c = coordinator(Reptile.constant(1.0), RoundConfig.of(3, 2, 42), 5);
        RoundTask t = c.openRound();
        c.submit(Fixtures.update(t, t.selectedClients().get(0), DELTAS[0], 1));
        DuplicateUpdateException e = assertThrows(DuplicateUpdateException.class,
                () -> c.submitSecureAggregate(aggregate(t, t.selectedClients().subList(1, 3))));
        assertTrue(e.getMessage().contains("individual"), e.getMessage());
        assertEquals(1, c.roundStatus().orElseThrow().accepted());
    }

    @Test
    void submit_afterSecureAggregate_refused() {
        Coordinator c = coordinator(Reptile.constant(1.0), RoundConfig.of(3, 2, 42), 5);
        RoundTask t = c.openRound();
        c.submitSecureAggregate(aggregate(t, t.selectedClients().subList(0, 2)));
        assertThrows(DuplicateUpdateException.class,
                () -> c.submit(Fixtures.update(t, t.selectedClients().get(2), DELTAS[2], 1)));
        assertThrows(DuplicateUpdateException.class, () -> c.submitSecureAggregate(aggregate(t,
                t.selectedClients().subList(2, 3))));
        assertEquals(2, c.roundStatus().orElseThrow().accepted());
    }

    @Test
    void submitSecureAggregate_noRoundOrClosedRound_refused() {
        Coordinator c = coordinator(Reptile.constant(1.0), RoundConfig.of(3, 2, 42), 5);
        assertThrows(RoundStateException.class, () -> c.submitSecureAggregate(new SecureAggregate(0, 0,
                Fixtures.tinyLayout().id(), WEIGHTED_SUM, 4, List.of("c0"))));
        RoundTask t = c.openRound();
        c.closeRound();
        assertThrows(RoundStateException.class, () -> c.submitSecureAggregate(aggregate(t, t.selectedClients())));
    }

    private static AggregationRule dpRule(double clipNorm) {
        return DifferentiallyPrivate.of(Reptile.constant(1.0), clipNorm, 3,
                PrivacyBudget.builder().noiseMultiplier(0).delta(1e-5).build());
    }

    /** Clients clipped (C = 10 leaves these Δ as they are) and sent weight 1: same θ' as individual DP updates. */
    @Test
    void submitSecureAggregate_differentiallyPrivate_unitWeights_equalsIndividualUpdates() {
        Coordinator individual = coordinator(dpRule(10), RoundConfig.of(3, 3, 1), 3);
        RoundTask task = individual.openRound();
        for (int i = 0; i < 3; i++) {
            individual.submit(Fixtures.update(task, task.selectedClients().get(i), DELTAS[i], 1));
        }
        individual.closeRound();

        Coordinator secure = coordinator(dpRule(10), RoundConfig.of(3, 3, 1), 3);
        RoundTask t = secure.openRound();
        secure.submitSecureAggregate(new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                new double[] {1, 2, 3, 0, 0, 1}, 3.0, t.selectedClients()));
        secure.closeRound();
        assertArrayEquals(individual.currentModel().params(), secure.currentModel().params(), 1e-6f);
    }

    @Test
    void submitSecureAggregate_differentiallyPrivate_weightsOtherThanOne_refusedUnchanged() {
        Coordinator c = coordinator(dpRule(10), RoundConfig.of(3, 2, 42), 5);
        RoundTask t = c.openRound();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.submitSecureAggregate(aggregate(t, t.selectedClients())));
        assertTrue(e.getMessage().contains("weight 1 per client"), e.getMessage());
        assertEquals(0, c.roundStatus().orElseThrow().accepted());
    }

    /** ‖{1, 2, 3, 0, 0, 1}‖ = √15 ≈ 3.87 &gt; 3 clients · C = 1: some client did not clip. */
    @Test
    void submitSecureAggregate_differentiallyPrivate_sumLongerThanCountTimesClip_refusedUnchanged() {
        Coordinator c = coordinator(dpRule(1.0), RoundConfig.of(3, 2, 42), 5);
        RoundTask t = c.openRound();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.submitSecureAggregate(new SecureAggregate(t.roundId(), t.modelVersion(), t.layoutId(),
                        new double[] {1, 2, 3, 0, 0, 1}, 3.0, t.selectedClients())));
        assertTrue(e.getMessage().contains("did not clip"), e.getMessage());
        assertEquals(0, c.roundStatus().orElseThrow().accepted());
    }

    @Test
    void secureAggregate_duplicateOrNoParticipants_rejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new SecureAggregate(0, 0, 1, WEIGHTED_SUM, 4, List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new SecureAggregate(0, 0, 1, WEIGHTED_SUM, 4, List.of()));
    }

    private static void refused(Coordinator c, Class<? extends CoordinatorException> type, SecureAggregate a) {
        Executable call = () -> c.submitSecureAggregate(a);
        assertThrows(type, call, a.toString());
    }
}
