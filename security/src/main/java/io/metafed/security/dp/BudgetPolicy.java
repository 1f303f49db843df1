package io.metafed.security.dp;

/** What happens when the next release would take ε past the target. */
public enum BudgetPolicy {
    /** Keep releasing and report the ledger as {@link PrivacyLedger.State#OVER_BUDGET}. */
    WARN,
    /** Refuse the release that would exceed the target: ε never goes past it. */
    STOP
}
