package io.metafed.simulation.federation;

import io.metafed.model.Checks;
import io.metafed.model.nn.ParamVector;
import io.metafed.sdk.LocalUpdate;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A round's partial sum Σ wᵢΔᵢ (double precision), Σ wᵢ and the ids of the clients in it, where wᵢ is the
 * client's example count: what the coordinator's rule would have accumulated from those clients' updates one by
 * one. Partial sums {@link #merge} into one, so a cluster sums where the clients run (Spark's treeAggregate) and
 * only one vector per task travels. Serializable for that reason; mutable, owned by one thread at a time.
 *
 * <p>A sum is a pure function of the clients in it (each client's Δ is), so a task that is lost and retried
 * recomputes the same partial sum; the summation order of partial sums can change the result only by double
 * rounding (~1e-16 relative), far below the float θ it produces.
 */
public final class UpdateSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] weightedDelta;
    private double totalWeight;
    private int[] contributors = new int[8];
    private int count;
    private int[] dropped = new int[0];

    public UpdateSum(int size) {
        this.weightedDelta = new double[Checks.positive(size, "size")];
    }

    /**
     * Adds {@code update} of {@code user} with weight = its example count, as its {@code ClientUpdate} would carry
     * (a {@link LocalUpdate} is finite with a positive count by construction).
     */
    public void add(int user, LocalUpdate update) {
        ParamVector delta = update.deltaVector();
        if (delta.size() != weightedDelta.length) {
            throw new IllegalArgumentException("update of user " + user + " must have " + weightedDelta.length
                    + " entries, found " + delta.size());
        }
        double w = update.exampleCount();
        delta.addScaledTo(weightedDelta, w);
        totalWeight += w;
        if (count == contributors.length) {
            contributors = Arrays.copyOf(contributors, count * 2);
        }
        contributors[count++] = user;
    }

    /** Records that {@code user} was asked but dropped out. */
    public void dropped(int user) {
        dropped = Arrays.copyOf(dropped, dropped.length + 1);
        dropped[dropped.length - 1] = user;
    }

    /** Adds {@code other}'s clients into this sum and returns this (Spark's combine step). */
    public UpdateSum merge(UpdateSum other) {
        if (other.weightedDelta.length != weightedDelta.length) {
            throw new IllegalArgumentException("sums must have " + weightedDelta.length + " entries to merge, found "
                    + other.weightedDelta.length);
        }
        for (int j = 0; j < weightedDelta.length; j++) {
            weightedDelta[j] += other.weightedDelta[j];
        }
        totalWeight += other.totalWeight;
        if (count + other.count > contributors.length) {
            contributors = Arrays.copyOf(contributors, Math.max(contributors.length * 2, count + other.count));
        }
        System.arraycopy(other.contributors, 0, contributors, count, other.count);
        count += other.count;
        int before = dropped.length;
        dropped = Arrays.copyOf(dropped, before + other.dropped.length);
        System.arraycopy(other.dropped, 0, dropped, before, other.dropped.length);
        return this;
    }

    /** Σ wᵢΔᵢ as a copy. */
    public double[] weightedDelta() {
        return weightedDelta.clone();
    }

    public double totalWeight() {
        return totalWeight;
    }

    /** How many clients are in the sum. */
    public int count() {
        return count;
    }

    /** The ids of the clients in the sum, ascending (independent of the order partial sums merged in). */
    public List<Integer> contributors() {
        int[] sorted = Arrays.copyOf(contributors, count);
        Arrays.sort(sorted);
        List<Integer> out = new ArrayList<>(count);
        for (int u : sorted) {
            out.add(u);
        }
        return out;
    }

    /** The ids of the clients that dropped out, ascending. */
    public List<Integer> droppedUsers() {
        int[] sorted = dropped.clone();
        Arrays.sort(sorted);
        List<Integer> out = new ArrayList<>(sorted.length);
        for (int u : sorted) {
            out.add(u);
        }
        return out;
    }
}
