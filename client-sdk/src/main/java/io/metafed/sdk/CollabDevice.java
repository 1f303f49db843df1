package io.metafed.sdk;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabAdaptationPlan;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.CollabSupport;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.Support;
import io.metafed.model.nn.TensorSlot;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import java.util.Arrays;
import java.util.List;

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

    /**
     * φ (the shared parameters after local training), the user's z, the training-half losses, and where φ may
     * differ from θ ({@link CollabSupport}: μ, the content tower, the prior and the user's item rows).
     */
    record Result(float[] phi, float[] z, double lossBefore, double lossAfter, Support support) {
    }

    /**
     * One adaptation of {@code theta}, read through its view: φ is the round's one copy of θ, and everything that
     * needs θ as an array (the reconstructions) runs on φ before training changes it.
     */
    Result adapt(ParamVector theta, List<Interaction> ratings, AdaptationConfig config) {
        FederatedAlgorithm algorithm = config.algorithmFor(layout);
        algorithm.requireFits(layout);
        // FedAvg has no per-user state: it trains the shared parameters with the user at the prior.
        boolean reconstructUser = algorithm != FederatedAlgorithm.FEDAVG;
        CollabBatch all = encoder.encode(ratings);
        // Every batch below is drawn from these rows.
        Support support = CollabSupport.of(layout, all);
        float[] phi = theta.toArray(); // still equal to θ until the first training step
        float[] zAll = runtime.reconstruct(phi, all);
        if (config.steps() == 0) {
            double loss = loss(phi, zAll, all);
            return new Result(phi, zAll, loss, loss, support);
        }
        // The same plan the batched path consumes, so both select exactly the same rows.
        CollabAdaptationPlan plan = CollabAdaptationPlan.of(all.size(), config.steps(), config.batchSize(),
                config.seed(), reconstructUser);
        float[] z = reconstructUser ? runtime.reconstruct(phi, all.select(plan.reconstruction())) : priorOf(theta);
        CollabBatch training = all.select(plan.training());
        double lossBefore = Double.NaN;
        for (int step = 0; step < plan.steps(); step++) {
            CollabBatch batch = plan.stepSize(step) == plan.trainingSize() ? training : all.select(plan.step(step));
            double loss = runtime.trainStep(phi, z, batch, config.learningRate(), phi);
            if (step == 0) {
                lossBefore = loss;
            }
        }
        if (plan.priorStep()) {
            for (int k = 0; k < prior.size(); k++) {
                int i = prior.offset() + k;
                phi[i] = theta.get(i) + PRIOR_RATE * (zAll[k] - theta.get(i));
            }
        }
        double lossAfter = loss(phi, z, training);
        requireConverged(lossBefore, lossAfter, config);
        return new Result(phi, zAll, lossBefore, lossAfter, support);
    }

    /** @throws IllegalStateException when either loss is not finite (the adaptation diverged) */
    static void requireConverged(double lossBefore, double lossAfter, AdaptationConfig config) {
        if (!Double.isFinite(lossAfter) || !Double.isFinite(lossBefore)) {
            throw new IllegalStateException("local adaptation diverged: loss after " + config.steps() + " steps is "
                    + lossAfter + " (learning rate " + config.learningRate() + " too high?)");
        }
    }

    /**
     * One member of a batched adaptation ({@link CollabGroup}): these ratings encoded and the plan {@link #adapt}
     * would follow for them.
     */
    OrtBatchedCollabRuntime.Member member(List<Interaction> ratings, AdaptationConfig config) {
        FederatedAlgorithm algorithm = config.algorithmFor(layout);
        algorithm.requireFits(layout);
        CollabBatch all = encoder.encode(ratings);
        CollabAdaptationPlan plan = CollabAdaptationPlan.of(all.size(), config.steps(), config.batchSize(),
                config.seed(), algorithm != FederatedAlgorithm.FEDAVG);
        return new OrtBatchedCollabRuntime.Member(all, plan, config.learningRate());
    }

    /** Where a member's Δ may be nonzero (see {@link Result#support()}). */
    Support support(OrtBatchedCollabRuntime.Member member) {
        return CollabSupport.of(layout, member.ratings());
    }

    /** The prior step of {@link #adapt} written as Δ = φ − θ into {@code delta}'s prior entries. */
    void priorStep(ParamVector theta, float[] zAll, float[] delta) {
        for (int k = 0; k < prior.size(); k++) {
            int i = prior.offset() + k;
            float phi = theta.get(i) + PRIOR_RATE * (zAll[k] - theta.get(i));
            delta[i] = phi - theta.get(i);
        }
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

    float[] priorOf(ParamVector theta) {
        return theta.toArray(prior.offset(), prior.end());
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
}
