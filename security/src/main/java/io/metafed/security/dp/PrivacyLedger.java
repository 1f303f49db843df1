package io.metafed.security.dp;

/**
 * The privacy spent by one federation: the RDP of every release so far, composed, and the (ε, δ) it implies.
 *
 * <p>Lifecycle: {@code WITHIN_BUDGET} → (WARN) {@code OVER_BUDGET} once ε exceeds the target, releases continue;
 * → (STOP) {@code EXHAUSTED} when a release would exceed the target: that release and every later one is
 * refused with {@link IllegalStateException}, so ε never passes the target. Both are terminal.
 *
 * <p>Thread-safe (synchronized). Does not log: the caller decides how to report.
 */
public final class PrivacyLedger {

    public enum State { WITHIN_BUDGET, OVER_BUDGET, EXHAUSTED }

    private final PrivacyBudget budget;
    private final RdpAccountant accountant = new RdpAccountant();
    private final double[] rdp;
    private long releases;
    private State state = State.WITHIN_BUDGET;
    private PrivacyLoss spent;

    PrivacyLedger(PrivacyBudget budget) {
        this.budget = DpPreconditions.notNull(budget, "budget");
        this.rdp = new double[accountant.orders().size()];
        this.spent = PrivacyLoss.none(budget.delta());
    }

    /**
     * A ledger that continues from {@code releases} earlier releases whose composed RDP is {@code rdp} (one value
     * per order of {@link RdpAccountant#DEFAULT_ORDERS}), e.g. read back from a checkpoint after a restart.
     */
    public static PrivacyLedger restore(PrivacyBudget budget, long releases, double[] rdp) {
        PrivacyLedger ledger = new PrivacyLedger(budget);
        if (releases < 0) {
            throw new IllegalArgumentException("releases must be >= 0, found " + releases);
        }
        if (DpPreconditions.notNull(rdp, "rdp").length != ledger.rdp.length) {
            throw new IllegalArgumentException("rdp must have " + ledger.rdp.length + " values, found " + rdp.length);
        }
        for (int i = 0; i < rdp.length; i++) {
            if (!(rdp[i] >= 0)) {
                throw new IllegalArgumentException("rdp[" + i + "] must be >= 0, found " + rdp[i]);
            }
        }
        System.arraycopy(rdp, 0, ledger.rdp, 0, rdp.length);
        ledger.releases = releases;
        ledger.spent = ledger.accountant.epsilon(ledger.rdp, budget.delta(), RdpAccountant.Conversion.BALLE_2020);
        if (ledger.spent.epsilon() > budget.targetEpsilon()) {
            ledger.state = budget.policy() == BudgetPolicy.STOP ? State.EXHAUSTED : State.OVER_BUDGET;
        }
        return ledger;
    }

    /** The composed RDP so far, one value per order of {@link RdpAccountant#DEFAULT_ORDERS}; a copy. */
    public synchronized double[] rdp() {
        return rdp.clone();
    }

    /** The composed RDP if one more release at rate {@code q} were spent; for checkpoints written before it is. */
    public synchronized double[] rdpAfter(double q) {
        return afterOneMore(q);
    }

    public PrivacyBudget budget() {
        return budget;
    }

    /** (ε, δ) if one more release with sampling rate {@code q} were spent; the ledger is unchanged. */
    public synchronized PrivacyLoss projected(double q) {
        return accountant.epsilon(afterOneMore(q), budget.delta(), RdpAccountant.Conversion.BALLE_2020);
    }

    /**
     * Refuses, under STOP, a release at rate {@code q} that would exceed the target (moving to EXHAUSTED) and any
     * release once EXHAUSTED. Call before computing the release, so that no noisy output is made for nothing.
     *
     * @throws IllegalStateException if the release is refused
     */
    public synchronized void checkCanSpend(double q) {
        if (state == State.EXHAUSTED) {
            throw exhausted();
        }
        if (budget.policy() == BudgetPolicy.STOP && projected(q).epsilon() > budget.targetEpsilon()) {
            state = State.EXHAUSTED;
            throw exhausted();
        }
    }

    /**
     * Records one release at sampling rate {@code q} and returns the total (ε, δ) spent.
     *
     * @throws IllegalStateException under STOP if the release would exceed the target; nothing is recorded
     */
    public synchronized PrivacyLoss spend(double q) {
        checkCanSpend(q);
        double[] next = afterOneMore(q);
        System.arraycopy(next, 0, rdp, 0, rdp.length);
        releases++;
        spent = accountant.epsilon(rdp, budget.delta(), RdpAccountant.Conversion.BALLE_2020);
        if (spent.epsilon() > budget.targetEpsilon()) {
            state = State.OVER_BUDGET; // only reachable under WARN: STOP refused above
        }
        return spent;
    }

    public synchronized PrivacyLoss spent() {
        return spent;
    }

    public synchronized long releases() {
        return releases;
    }

    public synchronized State state() {
        return state;
    }

    private double[] afterOneMore(double q) {
        double[] step = accountant.rdp(q, budget.noiseMultiplier(), 1);
        double[] next = rdp.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += step[i];
        }
        return next;
    }

    private IllegalStateException exhausted() {
        return new IllegalStateException("privacy budget exhausted: " + releases + " releases spent epsilon="
                + spent.epsilon() + " at delta=" + budget.delta() + "; another would exceed targetEpsilon="
                + budget.targetEpsilon() + " (policy STOP)");
    }
}
