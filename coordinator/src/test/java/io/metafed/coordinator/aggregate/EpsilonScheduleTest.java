package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpsilonScheduleTest {

    @Test
    void constant_anyRound_returnsSameValue() {
        EpsilonSchedule s = new EpsilonSchedule.Constant(0.3);
        assertEquals(0.3, s.at(0));
        assertEquals(0.3, s.at(1_000_000));
    }

    @Test
    void linearDecay_roundsAcrossHorizon_decaysThenFloors() {
        EpsilonSchedule s = new EpsilonSchedule.LinearDecay(1.0, 10, 0.15);
        assertEquals(1.0, s.at(0), 1e-12);   // 1·(1 − 0/10)
        assertEquals(0.9, s.at(1), 1e-12);   // 1·(1 − 1/10)
        assertEquals(0.5, s.at(5), 1e-12);   // 1·(1 − 5/10)
        assertEquals(0.2, s.at(8), 1e-12);   // 1·(1 − 8/10)
        assertEquals(0.15, s.at(9), 1e-12);  // 1·(1 − 9/10) = 0.1 < 0.15 → floor
        assertEquals(0.15, s.at(10), 1e-12); // 0 → floor
        assertEquals(0.15, s.at(50), 1e-12); // negative → floor
    }

    @Test
    void linearDecay_zeroMinimum_reachesZeroAtHorizon() {
        EpsilonSchedule s = new EpsilonSchedule.LinearDecay(0.4, 4, 0);
        assertEquals(0.3, s.at(1), 1e-12);   // 0.4·(1 − 1/4)
        assertEquals(0.0, s.at(4), 1e-12);
    }

    @Test
    void linearDecay_minimumAboveInitial_rejectedNamingParameter() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.LinearDecay(0.5, 10, 0.6));
        assertTrue(e.getMessage().contains("minimum") && e.getMessage().contains("0.6"), e.getMessage());
    }

    @Test
    void annealed_decaysLinearlyToFivePercentThenHolds_zeroRoundsIsConstant() {
        EpsilonSchedule s = EpsilonSchedule.annealed(2.0, 0, 100);
        assertEquals(2.0, s.at(0), 1e-12);
        assertEquals(1.0, s.at(50), 1e-12);   // 2·(1 − 50/100)
        assertEquals(0.2, s.at(90), 1e-12);   // 2·(1 − 90/100)
        assertEquals(0.1, s.at(99), 1e-12);   // 2·0.01 = 0.02 < 5% of 2 → floor
        assertEquals(0.1, s.at(5_000), 1e-12);
        assertEquals(new EpsilonSchedule.Constant(2.0), EpsilonSchedule.annealed(2.0, 0, 0));
        assertEquals(new EpsilonSchedule.Constant(2.0), EpsilonSchedule.annealed(2.0, 30, 0));
        assertThrows(IllegalArgumentException.class, () -> EpsilonSchedule.annealed(1.0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> EpsilonSchedule.annealed(1.0, -1, 10));
    }

    @Test
    void annealed_withHold_keepsEpsilonThenDecaysFromTheHoldOn() {
        EpsilonSchedule s = EpsilonSchedule.annealed(1.0, 500, 500);
        assertEquals(1.0, s.at(0), 1e-12);
        assertEquals(1.0, s.at(499), 1e-12);
        assertEquals(1.0, s.at(500), 1e-12);  // the decay's round 0
        assertEquals(0.5, s.at(750), 1e-12);  // 1·(1 − 250/500)
        assertEquals(0.05, s.at(999), 1e-12); // 1·(1 − 499/500) = 0.002 < floor
        assertEquals("hold-then-linear-decay", s.describe().get("epsilon.schedule"));
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.HoldThenDecay(1.0, 5, 0, 0.05));
    }

    @Test
    void constructors_invalidValues_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.Constant(0));
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.Constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.LinearDecay(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule.Constant(1).at(-1));
    }
}
