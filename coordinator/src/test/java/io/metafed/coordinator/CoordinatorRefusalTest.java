package io.metafed.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.round.ClientNotSelectedException;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.DuplicateUpdateException;
import io.metafed.coordinator.round.InvalidUpdateException;
import io.metafed.coordinator.round.LayoutMismatchException;
import io.metafed.coordinator.round.NotEnoughClientsException;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.round.RoundFullException;
import io.metafed.coordinator.round.RoundStateException;
import io.metafed.coordinator.round.StaleUpdateException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every refusal of the coordinator: the specific exception type, a message with expected and found, and no
 * effect on the round (the accepted count stays 0 unless stated).
 */
class CoordinatorRefusalTest {
    private static final float[] ONES = {1, 1, 1, 1, 1, 1};

    private Coordinator c;
    private RoundTask task;
    private String selected;
    private String notSelected;

    @BeforeEach
    void openRoundSelectingThreeOfFive() {
        c = Fixtures.tinyReptile(1.0, RoundConfig.of(3, 2, 42), 5);
        task = c.openRound();
        selected = task.selectedClients().get(0);
        List<String> others = new ArrayList<>(List.of("c0", "c1", "c2", "c3", "c4"));
        others.removeAll(task.selectedClients());
        notSelected = others.get(0);
    }

    private ClientUpdate update(String client, int round, long version, long layoutId, float[] delta, double w) {
        return new ClientUpdate(client, round, version, layoutId, delta, w);
    }

    private <T extends CoordinatorException> void assertRefused(Class<T> type, ClientUpdate u, String... parts) {
        assertRefused(type, () -> c.submit(u), parts);
        assertEquals(0, c.roundStatus().orElseThrow().accepted(), "a refused update must not be counted");
    }

    private static <T extends CoordinatorException> void assertRefused(Class<T> type, Executable call,
            String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void submit_wrongRoundId_refusedAsStale() {
        assertRefused(StaleUpdateException.class, update(selected, 7, 0, task.layoutId(), ONES, 1),
                "round 7", "expected round 0");
    }

    @Test
    void submit_wrongModelVersion_refusedAsStale() {
        assertRefused(StaleUpdateException.class, update(selected, 0, 3, task.layoutId(), ONES, 1),
                "version 3", "expected version 0");
    }

    @Test
    void submit_wrongLayoutId_refusedAsLayoutMismatch() {
        assertRefused(LayoutMismatchException.class, update(selected, 0, 0, 0xabcL, ONES, 1),
                "abc", "expected " + Long.toHexString(task.layoutId()));
    }

    @Test
    void submit_wrongDeltaLength_refusedAsLayoutMismatch() {
        assertRefused(LayoutMismatchException.class, update(selected, 0, 0, task.layoutId(), new float[5], 1),
                "length 5", "expected 6");
    }

    @Test
    void submit_nanOrInfiniteValue_refusedAsInvalid() {
        float[] nan = {0, 0, Float.NaN, 0, 0, 0};
        float[] inf = {0, 0, 0, 0, Float.NEGATIVE_INFINITY, 0};
        assertRefused(InvalidUpdateException.class, Fixtures.update(task, selected, nan, 1), "delta[2] = NaN");
        assertRefused(InvalidUpdateException.class, Fixtures.update(task, selected, inf, 1), "delta[4] = -Infinity");
    }

    @Test
    void submit_nonPositiveOrNonFiniteWeight_refusedAsInvalid() {
        for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRefused(InvalidUpdateException.class, Fixtures.update(task, selected, ONES, w),
                    "positive finite weight", "found " + w);
        }
    }

    @Test
    void submit_secondUpdateFromSameClient_refusedAsDuplicateAndFirstKept() {
        c.submit(Fixtures.update(task, selected, ONES, 1));
        assertRefused(DuplicateUpdateException.class, () -> c.submit(Fixtures.update(task, selected, ONES, 5)),
                selected, "found a second");
        assertEquals(1, c.roundStatus().orElseThrow().accepted());
        assertEquals(1.0, c.roundStatus().orElseThrow().totalWeight());
    }

    @Test
    void submit_clientNotSelected_refused() {
        assertRefused(ClientNotSelectedException.class, Fixtures.update(task, notSelected, ONES, 1),
                notSelected, "not selected for round 0");
    }

    @Test
    void submit_refusedForContent_canBeResubmittedCorrected() {
        assertRefused(InvalidUpdateException.class, Fixtures.update(task, selected, ONES, -1));
        c.submit(Fixtures.update(task, selected, ONES, 1));
        assertEquals(1, c.roundStatus().orElseThrow().accepted());
    }

    @Test
    void submit_afterFinalization_refusedAsRoundState() {
        c.submit(Fixtures.update(task, task.selectedClients().get(0), ONES, 1));
        c.submit(Fixtures.update(task, task.selectedClients().get(1), ONES, 1));
        c.closeRound();
        ClientUpdate late = Fixtures.update(task, task.selectedClients().get(2), ONES, 1);
        assertRefused(RoundStateException.class, () -> c.submit(late), "round 0 is AGGREGATED", "expected COLLECTING");
    }

    @Test
    void closeRound_twice_refusedAsRoundState() {
        c.closeRound(); // no updates: fails
        assertRefused(RoundStateException.class, () -> c.closeRound(), "round 0 is FAILED", "expected COLLECTING");
    }

    @Test
    void openRound_whileCollecting_refusedAsRoundState() {
        assertRefused(RoundStateException.class, () -> c.openRound(), "round 0 is COLLECTING");
    }

    @Test
    void submit_beyondClientsPerRound_refusedAsRoundFull() {
        // clientsPerRound 2, over-selection 1.5 → ⌈3⌉ = 3 selected, but only the first 2 updates count
        Coordinator over = Fixtures.tinyReptile(1.0, new RoundConfig(2, 1, 1.5, 42), 5);
        RoundTask t = over.openRound();
        assertEquals(3, t.selectedClients().size());
        over.submit(Fixtures.update(t, t.selectedClients().get(0), ONES, 1));
        over.submit(Fixtures.update(t, t.selectedClients().get(1), ONES, 1));
        assertRefused(RoundFullException.class,
                () -> over.submit(Fixtures.update(t, t.selectedClients().get(2), ONES, 1)), "2 of 2");
        assertEquals(2, over.roundStatus().orElseThrow().accepted());
    }

    @Test
    void openRound_fewerClientsThanMinUpdates_refusedWithoutUsingRoundId() {
        Coordinator small = Fixtures.tinyReptile(1.0, RoundConfig.of(3, 2, 42), 1);
        assertRefused(NotEnoughClientsException.class, small::openRound, "minUpdates=2", "found 1");
        assertTrue(small.roundStatus().isEmpty());
        small.checkIn("late");
        assertEquals(0, small.openRound().roundId());
    }

    @Test
    void submitAndClose_beforeAnyRound_refusedAsRoundState() {
        Coordinator fresh = Fixtures.tinyReptile(1.0, RoundConfig.of(1, 1, 42), 1);
        ClientUpdate u = new ClientUpdate("c0", 0, 0, fresh.layout().id(), ONES, 1);
        assertRefused(RoundStateException.class, () -> fresh.submit(u), "no round has been opened");
        assertRefused(RoundStateException.class, fresh::closeRound, "no round has been opened");
    }

    @Test
    void submit_updateForPreviousRound_refusedAsStale() {
        c.closeRound();
        RoundTask next = c.openRound();
        assertEquals(1, next.roundId());
        assertRefused(StaleUpdateException.class, Fixtures.update(task, next.selectedClients().get(0), ONES, 1),
                "round 0", "expected round 1");
    }

    @Test
    void refusals_leaveGlobalModelUntouched() {
        float[] before = c.currentModel().params();
        assertThrows(CoordinatorException.class, () -> c.submit(Fixtures.update(task, notSelected, ONES, 1)));
        assertArrayEquals(before, c.currentModel().params());
        assertEquals(0, c.currentModel().version());
    }
}
