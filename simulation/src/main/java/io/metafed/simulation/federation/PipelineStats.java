package io.metafed.simulation.federation;

import java.util.Locale;

/**
 * What a run's rounds did with their selected devices. {@code selected} = {@code inTime} + {@code stragglers};
 * of those in time, {@code adapted} ran and either were {@code used} or {@code dropped} (adaptation or encoding
 * failed, or the secure protocol left them out), and {@code surplus} arrived after the round had its
 * clientsPerRound updates. Stragglers and surplus devices are never adapted: their results would be discarded.
 *
 * @param virtualSeconds total virtual time of the rounds (0 without a latency model)
 * @param longestRoundSeconds the longest round in virtual time
 */
public record PipelineStats(int rounds, int failedRounds, long selected, long inTime, long stragglers, long surplus,
                            long adapted, long used, long dropped, double virtualSeconds,
                            double longestRoundSeconds) {
    public static final PipelineStats NONE = new PipelineStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** This run's counts with one more round's. */
    PipelineStats plus(boolean failed, long selected, long inTime, long stragglers, long surplus, long adapted,
                       long used, long dropped, double roundSeconds) {
        return new PipelineStats(rounds + 1, failedRounds + (failed ? 1 : 0), this.selected + selected,
                this.inTime + inTime, this.stragglers + stragglers, this.surplus + surplus, this.adapted + adapted,
                this.used + used, this.dropped + dropped, virtualSeconds + roundSeconds,
                Math.max(longestRoundSeconds, roundSeconds));
    }

    /** Mean virtual round time in seconds. */
    public double meanRoundSeconds() {
        return rounds == 0 ? 0 : virtualSeconds / rounds;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d rounds (%d failed): %d selected, %d in time, %d stragglers discarded,"
                        + " %d surplus discarded, %d adapted, %d used, %d dropped; virtual round %.2f s mean, %.2f s max",
                rounds, failedRounds, selected, inTime, stragglers, surplus, adapted, used, dropped,
                meanRoundSeconds(), longestRoundSeconds);
    }
}
