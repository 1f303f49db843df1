package io.metafed.security.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivacyLedgerTest {
    private static final double Q = 0.05;

    @Test
    void builder_requiresExplicitNoiseAndDelta_andValidates() {
        assertThrows(IllegalStateException.class, () -> PrivacyBudget.builder().delta(1e-5).build());
        assertThrows(IllegalStateException.class, () -> PrivacyBudget.builder().noiseMultiplier(1).build());
        assertThrows(IllegalArgumentException.class, () -> PrivacyBudget.builder().delta(0));
        assertThrows(IllegalArgumentException.class, () -> PrivacyBudget.builder().delta(1));
        assertThrows(IllegalArgumentException.class, () -> PrivacyBudget.builder().noiseMultiplier(-0.1));
        assertThrows(IllegalArgumentException.class, () -> PrivacyBudget.builder().targetEpsilon(0));
        assertThrows(IllegalArgumentException.class,
                () -> PrivacyBudget.builder().noiseMultiplier(1).delta(1e-5).policy(BudgetPolicy.STOP).build());
        PrivacyBudget b = PrivacyBudget.builder().noiseMultiplier(1).delta(1e-5).build();
        assertEquals(Double.POSITIVE_INFINITY, b.targetEpsilon());
        assertEquals(BudgetPolicy.WARN, b.policy());
    }

    @Test
    void spend_composesLikeTheAccountant() {
        PrivacyLedger ledger = PrivacyBudget.builder().noiseMultiplier(1.0).delta(1e-5).build().newLedger();
        assertEquals(0, ledger.spent().epsilon());
        double previous = 0;
        for (int t = 1; t <= 50; t++) {
            double eps = ledger.spend(Q).epsilon();
            assertTrue(eps > previous, "ε grows with every release");
            previous = eps;
        }
        assertEquals(new RdpAccountant().epsilon(Q, 1.0, 50, 1e-5).epsilon(), previous, 1e-9);
        assertEquals(50, ledger.releases());
        assertEquals(PrivacyLedger.State.WITHIN_BUDGET, ledger.state());
    }

    @Test
    void stop_refusesTheReleaseThatWouldExceedTheTarget_andEveryLaterOne() {
        double target = 2.0;
        PrivacyLedger ledger = PrivacyBudget.builder().noiseMultiplier(1.0).delta(1e-5).targetEpsilon(target)
                .policy(BudgetPolicy.STOP).build().newLedger();
        int released = 0;
        while (true) {
            try {
                ledger.checkCanSpend(Q);
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("exhausted"), e.getMessage());
                break;
            }
            ledger.spend(Q);
            released++;
            assertTrue(ledger.spent().epsilon() <= target);
        }
        assertTrue(released > 1, "several releases fit in ε = 2");
        assertEquals(PrivacyLedger.State.EXHAUSTED, ledger.state());
        assertTrue(ledger.projected(Q).epsilon() > target);
        assertThrows(IllegalStateException.class, () -> ledger.spend(Q));
        assertThrows(IllegalStateException.class, () -> ledger.checkCanSpend(0), "EXHAUSTED is terminal");
        assertEquals(released, ledger.releases());
    }

    @Test
    void warn_keepsReleasing_andReportsOverBudget() {
        PrivacyLedger ledger = PrivacyBudget.builder().noiseMultiplier(1.0).delta(1e-5).targetEpsilon(1.0)
                .build().newLedger();
        for (int t = 0; t < 200; t++) {
            ledger.checkCanSpend(Q);
            ledger.spend(Q);
        }
        assertTrue(ledger.spent().epsilon() > 1.0);
        assertEquals(PrivacyLedger.State.OVER_BUDGET, ledger.state());
    }

    @Test
    void zeroNoise_isInfinitelyExpensive() {
        PrivacyLedger ledger = PrivacyBudget.builder().noiseMultiplier(0).delta(1e-5).build().newLedger();
        assertEquals(Double.POSITIVE_INFINITY, ledger.spend(Q).epsilon());
    }

    @Test
    void restore_continuesFromACheckpointedRdp() {
        PrivacyBudget budget = PrivacyBudget.builder().noiseMultiplier(1.0).delta(1e-5).build();
        PrivacyLedger original = budget.newLedger();
        for (int t = 0; t < 10; t++) {
            original.spend(Q);
        }
        PrivacyLedger restored = PrivacyLedger.restore(budget, original.releases(), original.rdp());
        assertEquals(original.spent(), restored.spent());
        assertEquals(original.spend(Q), restored.spend(Q));
        assertThrows(IllegalArgumentException.class, () -> PrivacyLedger.restore(budget, 1, new double[3]));
    }
}
