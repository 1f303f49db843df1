package io.metafed.simulation.federation;

import java.util.Objects;

/**
 * Stragglers in virtual time, as a production coordinator handles them: each selected device's update arrives after
 * {@code latency}; the round takes those that arrive by {@code deadlineSeconds}, at most clientsPerRound of them,
 * earliest first, and closes when it has them (or at the deadline). A later update is discarded. With over-selection
 * (the coordinator's {@code RoundConfig.overSelection}) the spare selected devices fill the places of the slow ones.
 *
 * @param deadlineSeconds virtual seconds after the round opens; {@link Double#POSITIVE_INFINITY} for none (the round
 *                        then takes the clientsPerRound earliest arrivals)
 */
public record RoundDeadline(DeviceLatency latency, double deadlineSeconds) {
    public RoundDeadline {
        Objects.requireNonNull(latency, "latency");
        if (!(deadlineSeconds > 0)) {
            throw new IllegalArgumentException("round deadline must be positive (virtual seconds), found "
                    + deadlineSeconds);
        }
    }

    /** No deadline: the earliest clientsPerRound updates make the round. */
    public static RoundDeadline none(DeviceLatency latency) {
        return new RoundDeadline(latency, Double.POSITIVE_INFINITY);
    }

    @Override
    public String toString() {
        return latency + (Double.isInfinite(deadlineSeconds) ? ", no deadline"
                : ", deadline " + DeviceLatency.LogNormal.plain(deadlineSeconds) + "s");
    }
}
