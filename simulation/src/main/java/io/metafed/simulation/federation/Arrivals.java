package io.metafed.simulation.federation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One round's selected devices in virtual time: those whose update arrives by the deadline, earliest first (ties in
 * selection order, so the order is total and replays), and those after it. Without a {@link RoundDeadline} every
 * device arrives at time 0 and {@link #inTime} is the selection itself, in its order.
 */
public final class Arrivals {
    private final List<Integer> inTime;
    private final double[] times;
    private final List<Integer> late;
    private final double deadlineSeconds;

    private Arrivals(List<Integer> inTime, double[] times, List<Integer> late, double deadlineSeconds) {
        this.inTime = List.copyOf(inTime);
        this.times = times;
        this.late = List.copyOf(late);
        this.deadlineSeconds = deadlineSeconds;
    }

    /** The arrivals of {@code selected} (in selection order) in round {@code roundId} of a run seeded {@code seed}. */
    public static Arrivals of(List<Integer> selected, Optional<RoundDeadline> deadline, long seed, int roundId) {
        if (deadline.isEmpty()) {
            return new Arrivals(selected, new double[selected.size()], List.of(), Double.POSITIVE_INFINITY);
        }
        RoundDeadline d = deadline.get();
        int n = selected.size();
        double[] at = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            at[i] = d.latency().seconds(seed, roundId, selected.get(i));
            if (!(at[i] >= 0) || Double.isInfinite(at[i])) {
                throw new IllegalStateException("device latency of user " + selected.get(i) + " in round " + roundId
                        + " must be finite and >= 0 seconds, found " + at[i]);
            }
            order[i] = i;
        }
        // Stable on equal times: selection order breaks ties.
        Arrays.sort(order, Comparator.comparingDouble(i -> at[i]));
        List<Integer> inTime = new ArrayList<>();
        List<Integer> late = new ArrayList<>();
        double[] times = new double[n];
        for (int i : order) {
            if (at[i] <= d.deadlineSeconds()) {
                times[inTime.size()] = at[i];
                inTime.add(selected.get(i));
            }
        }
        for (int i = 0; i < n; i++) {
            if (at[i] > d.deadlineSeconds()) {
                late.add(selected.get(i));
            }
        }
        return new Arrivals(inTime, Arrays.copyOf(times, inTime.size()), late, d.deadlineSeconds());
    }

    /** The devices whose update arrives by the deadline, earliest first. */
    public List<Integer> inTime() {
        return inTime;
    }

    /** Virtual arrival of {@code inTime().get(i)}. */
    public double time(int i) {
        return times[i];
    }

    /** The devices whose update arrives after the deadline (stragglers), in selection order. */
    public List<Integer> late() {
        return late;
    }

    /**
     * When the round closes in virtual time, given that the first {@code used} in-time devices were taken (the
     * last one taken being the {@code used}-th) and the round wanted {@code wanted}: at the arrival of the last
     * one it needed when it filled, else at the deadline — the coordinator cannot know no more will come — or, with
     * no deadline, at the last arrival.
     */
    public double closesAt(int used, int lastTaken, int wanted) {
        if (used >= wanted && lastTaken >= 0) {
            return times[lastTaken];
        }
        if (!Double.isInfinite(deadlineSeconds)) {
            return deadlineSeconds;
        }
        return times.length == 0 ? 0 : times[times.length - 1];
    }
}
