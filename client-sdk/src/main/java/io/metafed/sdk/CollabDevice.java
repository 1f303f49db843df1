package io.metafed.sdk;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The device side of the collaborative model. Package-private: it handles the private ratings and the private
 * user parameters z; only Δ of the shared parameters leaves through {@link LocalUpdate}.
 * <p>
 * One adaptation (Federated Reconstruction, Singhal et al. 2021, with a Reptile step on the prior):
 * <ol>
 *   <li>the ratings are split by a seeded permutation into a reconstruction half and a training half;</li>
 *   <li>z is reconstructed in closed form on the first half;</li>
 *   <li>{@code steps} SGD steps train the shared parameters on the second half with z fixed, so the update
 *       rewards item parameters under which a user reconstructed from some ratings predicts the others;</li>
 *   <li>the prior moves toward the user's reconstruction on all ratings by {@link #PRIOR_RATE}.</li>
 * </ol>
 * The z kept for scoring is reconstructed on all ratings against the global θ.
 */
final class CollabDevice {
    /** How far one user's update moves the prior m toward its own z (Reptile's inner result, ε applied by the server). */
    static final float PRIOR_RATE = 0.1f;

    private final CollabRuntime runtime;
    private final CollabEncoder encoder;
    private final ParamLayout layout;
    private final TensorSlot prior;

    CollabDevice(CollabRuntime runtime, CollabEncoder encoder) {
        this.runtime = runtime;
        this.encoder = encoder;
        this.layout = runtime.layout();
        this.prior = layout.slot(ParamLayout.PRIOR);
    }

    CollabEncoder encoder() {
        return encoder;
    }

    /** φ (the shared parameters after local training), the user's z, and the training-half losses. */
    record Result(float[] phi, float[] z, double lossBefore, double lossAfter) {
    }

    Result adapt(float[] theta, List<Interaction> ratings, AdaptationConfig config) {
        FederatedAlgorithm algorithm = config.algorithmFor(layout);
        algorithm.requireFits(layout);
        // FedAvg has no per-user state: it trains the shared parameters with the user at the prior.
        boolean reconstructUser = algorithm != FederatedAlgorithm.FEDAVG;
        CollabBatch all = encoder.encode(ratings);
        float[] zAll = runtime.reconstruct(theta, all);
        if (config.steps() == 0) {
            double loss = loss(theta, zAll, all);
            return new Result(theta.clone(), zAll, loss, loss);
        }
        int n = all.size();
        int[] order = permutation(n, new SplittableRandom(config.seed()));
        CollabBatch reconstruction = all;
        CollabBatch training = all;
        if (n >= 2) {
            reconstruction = all.select(Arrays.copyOfRange(order, 0, n / 2));
            training = all.select(Arrays.copyOfRange(order, n / 2, n));
        }
        float[] z = reconstructUser ? runtime.reconstruct(theta, reconstruction) : priorOf(theta);
        if (!reconstructUser) {
            training = all;
        }
        float[] phi = theta.clone();
        double lossBefore = Double.NaN;
        SplittableRandom batches = new SplittableRandom(config.seed() ^ 0x9E3779B97F4A7C15L);
        int[] perm = permutation(training.size(), batches);
        int cursor = 0;
        int size = Math.min(config.batchSize(), training.size());
        for (int step = 0; step < config.steps(); step++) {
            CollabBatch batch = training;
            if (size < training.size()) {
                if (cursor + size > perm.length) {
                    perm = permutation(training.size(), batches);
                    cursor = 0;
                }
                batch = training.select(Arrays.copyOfRange(perm, cursor, cursor + size));
                cursor += size;
            }
            double loss = runtime.trainStep(phi, z, batch, config.learningRate(), phi);
            if (step == 0) {
                lossBefore = loss;
            }
        }
        if (reconstructUser) {
            for (int k = 0; k < prior.size(); k++) {
                int i = prior.offset() + k;
                phi[i] = theta[i] + PRIOR_RATE * (zAll[k] - theta[i]);
            }
        }
        double lossAfter = loss(phi, z, training);
        if (!Double.isFinite(lossAfter) || !Double.isFinite(lossBefore)) {
            throw new IllegalStateException("local adaptation diverged: loss after " + config.steps() + " steps is "
                    + lossAfter + " (learning rate " + config.learningRate() + " too high?)");
        }
        return new Result(phi, zAll, lossBefore, lossAfter);
    }

    /** z of a user with these ratings under θ (the prior when there are none). */
    float[] user(float[] theta, List<Interaction> ratings) {
        return ratings.isEmpty() ? priorOf(theta) : runtime.reconstruct(theta, encoder.encode(ratings));
    }

    float[] score(float[] theta, float[] z, int[] items) {
        float[] scores = new float[items.length];
        for (int from = 0; from < items.length; from += CandidateScorer.CHUNK) {
            int[] chunk = Arrays.copyOfRange(items, from, Math.min(items.length, from + CandidateScorer.CHUNK));
            float[] part = runtime.predict(theta, z, encoder.candidates(chunk));
            System.arraycopy(part, 0, scores, from, part.length);
        }
        return scores;
    }

    float[] priorOf(float[] theta) {
        return Arrays.copyOfRange(theta, prior.offset(), prior.end());
    }

    /** Weighted mean squared error (without the item penalty): what the user sees of the fit. */
    private double loss(float[] theta, float[] z, CollabBatch batch) {
        float[] predicted = runtime.predict(theta, z, batch);
        double sum = 0;
        double weights = 0;
        for (int r = 0; r < batch.size(); r++) {
            double e = predicted[r] - batch.ratings()[r];
            sum += batch.weights()[r] * e * e;
            weights += batch.weights()[r];
        }
        return sum / weights;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        return SupportQuery.permutation(n, random);
    }
}
