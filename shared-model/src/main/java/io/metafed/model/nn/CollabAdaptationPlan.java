package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The data-independent part of one collaborative (FedRecon) adaptation of a device holding {@code n} ratings: which
 * ratings reconstruct the user, which train the shared parameters, and which ratings each of the {@code steps}
 * minibatches holds, all as indices into the device's encoded ratings in store order. It depends only on
 * (n, seed, batch size, steps, whether the user is reconstructed), never on a rating, so the one-client path
 * ({@code CollabDevice}) and the batched path ({@code OrtBatchedCollabRuntime}) select exactly the same rows: both
 * build their batches from this one plan.
 * <p>
 * The draws are those the one-client path always made: a permutation of 0..n−1 from {@code seed} splits the
 * ratings (first ⌊n/2⌋ reconstruct, the rest train; with one rating both halves are it); a second generator seeded
 * {@code seed ^ 0x9E3779B97F4A7C15} draws a permutation of the training half up front and a fresh one whenever the
 * next minibatch would run past its end (epochs); a minibatch of at least the whole training half is that half in
 * order. Without reconstruction (FedAvg) the user sits at the prior and every rating trains.
 */
public final class CollabAdaptationPlan {
    /** Where the z the training steps hold fixed comes from. */
    public enum UserSource {
        /** z reconstructed on {@link #reconstruction()} (FedRecon and the meta-learners). */
        RECONSTRUCTION,
        /** z = the prior m (FedAvg: no per-user state). */
        PRIOR,
        /** No steps: the z reconstructed on all ratings, which the device keeps anyway. */
        ALL
    }

    private final int n;
    private final UserSource user;
    private final int[] reconstruction;
    private final int[] training;
    private final int[][] steps;
    private final boolean priorStep;

    private CollabAdaptationPlan(int n, UserSource user, int[] reconstruction, int[] training, int[][] steps,
            boolean priorStep) {
        this.n = n;
        this.user = user;
        this.reconstruction = reconstruction;
        this.training = training;
        this.steps = steps;
        this.priorStep = priorStep;
    }

    /**
     * @param n               the device's ratings (≥ 1)
     * @param steps           SGD steps (≥ 0; 0: no training, no prior step)
     * @param batchSize       ratings per minibatch (≥ 1)
     * @param seed            the adaptation's seed
     * @param reconstructUser false for FedAvg (z = prior, all ratings train, no prior step)
     */
    public static CollabAdaptationPlan of(int n, int steps, int batchSize, long seed, boolean reconstructUser) {
        Checks.positive(n, "n");
        Checks.nonNegative(steps, "steps");
        Checks.positive(batchSize, "batchSize");
        int[] all = identity(n);
        if (steps == 0) {
            return new CollabAdaptationPlan(n, UserSource.ALL, all, all, new int[0][], false);
        }
        int[] order = permutation(n, new SplittableRandom(seed));
        int[] reconstruction = all;
        int[] training = all;
        if (n >= 2) {
            reconstruction = Arrays.copyOfRange(order, 0, n / 2);
            training = Arrays.copyOfRange(order, n / 2, n);
        }
        if (!reconstructUser) {
            training = all;
        }
        SplittableRandom batches = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] perm = permutation(training.length, batches);
        int cursor = 0;
        int size = Math.min(batchSize, training.length);
        int[][] minibatches = new int[steps][];
        for (int step = 0; step < steps; step++) {
            if (size < training.length) {
                if (cursor + size > perm.length) {
                    perm = permutation(training.length, batches);
                    cursor = 0;
                }
                int[] rows = new int[size];
                for (int k = 0; k < size; k++) {
                    rows[k] = training[perm[cursor + k]];
                }
                minibatches[step] = rows;
                cursor += size;
            } else {
                minibatches[step] = training;
            }
        }
        return new CollabAdaptationPlan(n, reconstructUser ? UserSource.RECONSTRUCTION : UserSource.PRIOR,
                reconstruction, training, minibatches, reconstructUser);
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates), the SDK's one shuffle. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    public int size() {
        return n;
    }

    public UserSource user() {
        return user;
    }

    /** Indices of the ratings z is reconstructed on (all of them when there is one; unused unless RECONSTRUCTION). */
    public int[] reconstruction() {
        return reconstruction.clone();
    }

    /** Indices of the ratings the shared parameters train on, and lossAfter is measured on. */
    public int[] training() {
        return training.clone();
    }

    public int steps() {
        return steps.length;
    }

    /** Indices of the ratings of minibatch {@code step}. */
    public int[] step(int step) {
        return steps[step].clone();
    }

    /** Rows of minibatch {@code step} (its size, without a copy). */
    public int stepSize(int step) {
        return steps[step].length;
    }

    /** The {@code k}-th rating index of minibatch {@code step}, without a copy. */
    public int stepRow(int step, int k) {
        return steps[step][k];
    }

    public int trainingSize() {
        return training.length;
    }

    public int trainingRow(int k) {
        return training[k];
    }

    public int reconstructionSize() {
        return reconstruction.length;
    }

    public int reconstructionRow(int k) {
        return reconstruction[k];
    }

    /** Whether the prior moves toward the user's reconstruction on all ratings after the steps. */
    public boolean priorStep() {
        return priorStep;
    }
}
