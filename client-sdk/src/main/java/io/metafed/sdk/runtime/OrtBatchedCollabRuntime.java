package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT;
import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT_BIAS_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT_EMB_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_LOCAL;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_VALID;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_BIAS_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_EMB_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_ROWS;
import static io.metafed.model.onnx.CollabBatchedGraphs.LEARNING_RATE;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOCAL_CLIENT;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOSS_AFTER;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOSS_BEFORE;
import static io.metafed.model.onnx.CollabBatchedGraphs.MU_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_A;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_B;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.ROWS;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_LOCAL;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_PENALTY;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_SHARE;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_VALID;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.THETA;
import static io.metafed.model.onnx.CollabBatchedGraphs.Z;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.metafed.model.Checks;
import io.metafed.model.nn.Cholesky;
import io.metafed.model.nn.CollabAdaptationPlan;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.onnx.CollabBatchedGraphs;
import io.metafed.model.onnx.MetafedGraphs;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FedRecon adaptation of many clients of one collaborative layout in two ONNX Runtime calls
 * ({@link CollabBatchedGraphs}): one builds every client's two ridge systems, which are solved here by the
 * reference's double-precision Cholesky, the other runs all k SGD steps of every client on a compact local copy of
 * what it can touch and both losses. It consumes each client's {@link CollabAdaptationPlan}, the one the one-client
 * path ({@code MetafedClient.adapt}) consumes, so it selects exactly the same rows; the results agree with that path
 * up to float rounding in the graphs (parity at 1e-5 in {@code OrtBatchedCollabRuntimeTest}).
 * <p>
 * θ lives in a direct buffer that is rewritten only when a different θ arrives (once per round: the vector is
 * immutable, so identity says whether it is the resident one); every other input and output lives in a direct
 * buffer reused across calls and grown only when a bigger group arrives, and the k steps run inside one call, so
 * nothing is allocated per step. What is allocated per call: each client's dense Δ (the update it sends) and its z,
 * its distinct item rows, and ORT's tensor wrappers and intermediate values.
 * <p>
 * A client's failure (a ridge system that is not positive definite) is its own {@link Outcome}, never the group's.
 * Not thread-safe, like {@link OrtCollabRuntime}: one per simulator worker, one per device; concurrent use and use
 * after {@link #close()} throw {@link IllegalStateException}.
 */
public final class OrtBatchedCollabRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrtBatchedCollabRuntime.class);
    private static final int INITIAL = 256;

    /** One client of a group: its encoded ratings (store order), its plan over them and its learning rate. */
    public static final class Member {
        final CollabBatch ratings;
        final CollabAdaptationPlan plan;
        final float learningRate;

        public Member(CollabBatch ratings, CollabAdaptationPlan plan, float learningRate) {
            this.ratings = Objects.requireNonNull(ratings, "ratings");
            this.plan = Objects.requireNonNull(plan, "plan");
            Checks.finite(learningRate, "learningRate");
            this.learningRate = learningRate;
            if (plan.size() != ratings.size()) {
                throw new IllegalArgumentException("plan must cover the " + ratings.size() + " ratings, found a plan"
                        + " of " + plan.size());
            }
        }

        public CollabAdaptationPlan plan() {
            return plan;
        }

        /** The encoded ratings every batch of the plan is drawn from. */
        public CollabBatch ratings() {
            return ratings;
        }
    }

    /**
     * One client's result: Δ of the shared parameters after the steps (the prior's entries 0: the prior step is the
     * caller's), the z reconstructed on all ratings, the z the steps held fixed and both losses; or its failure.
     */
    public static final class Outcome {
        private final float[] delta;
        private final float[] zAll;
        private final float[] zTrained;
        private final double lossBefore;
        private final double lossAfter;
        private final IllegalStateException failure;

        private Outcome(float[] delta, float[] zAll, float[] zTrained, double lossBefore, double lossAfter,
                IllegalStateException failure) {
            this.delta = delta;
            this.zAll = zAll;
            this.zTrained = zTrained;
            this.lossBefore = lossBefore;
            this.lossAfter = lossAfter;
            this.failure = failure;
        }

        public boolean failed() {
            return failure != null;
        }

        /** @throws IllegalStateException the client's failure */
        private void requireOk() {
            if (failure != null) {
                throw failure;
            }
        }

        /** Δ = φ − θ without the prior step; the caller may take the array over. */
        public float[] delta() {
            requireOk();
            return delta;
        }

        public float[] zAll() {
            requireOk();
            return zAll;
        }

        public float[] zTrained() {
            requireOk();
            return zTrained;
        }

        public double lossBefore() {
            requireOk();
            return lossBefore;
        }

        public double lossAfter() {
            requireOk();
            return lossAfter;
        }

        public IllegalStateException failure() {
            return failure;
        }
    }

    private final ParamLayout layout;
    private final CollabConfig config;
    private final int dim;
    private final int width;
    private final int privateSize;
    private final int mu;
    private final int itemBias;
    private final int itemEmb;
    private final int contentBias;
    private final int contentEmb;
    private final int prior;
    private final int intraOpThreads;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final UseGuard guard = new UseGuard("OrtBatchedCollabRuntime");
    private final OrtSession ridgeSession;
    private final Map<Integer, OrtSession> adaptationSessions = new HashMap<>();
    private final FloatBuffer theta;
    private final OnnxTensor thetaTensor;
    /** The θ whose values {@link #theta} holds (ParamVector is immutable, so identity suffices), or null. */
    private ParamVector resident;

    private final DirectLongs rows = new DirectLongs(INITIAL);
    private final DirectFloats content;
    private final DirectFloats ratings = new DirectFloats(INITIAL);
    private final DirectFloats ridgeWeights = new DirectFloats(2 * INITIAL);
    private final Doubles ridgeA = new Doubles(64);
    private final Doubles ridgeB = new Doubles(64);
    private final DirectLongs itemRows = new DirectLongs(INITIAL);
    private final DirectLongs localClient = new DirectLongs(INITIAL);
    private final DirectFloats stepPenalty = new DirectFloats(INITIAL);
    private final DirectFloats z = new DirectFloats(64);
    private final DirectFloats learningRates = new DirectFloats(8);
    private final DirectLongs stepRatings = new DirectLongs(INITIAL);
    private final DirectLongs stepLocal = new DirectLongs(INITIAL);
    private final DirectFloats stepWeights = new DirectFloats(INITIAL);
    private final DirectFloats stepValid = new DirectFloats(INITIAL);
    private final DirectFloats stepShare = new DirectFloats(INITIAL);
    private final DirectLongs finalRatings = new DirectLongs(INITIAL);
    private final DirectLongs finalLocal = new DirectLongs(INITIAL);
    private final DirectFloats finalWeights = new DirectFloats(INITIAL);
    private final DirectFloats finalValid = new DirectFloats(INITIAL);
    private final DirectFloats embOut = new DirectFloats(INITIAL);
    private final DirectFloats biasOut = new DirectFloats(INITIAL);
    private final DirectFloats muOut = new DirectFloats(8);
    private final DirectFloats contentBiasOut;
    private final DirectFloats contentEmbOut;
    private final Doubles lossBefore = new Doubles(8);
    private final Doubles lossAfter = new Doubles(8);
    /** Scratch: each rating's flat local row, per-local-row multiplicity counts, one ridge system. */
    private int[] ratingLocal = new int[INITIAL];
    private int[] counts = new int[INITIAL];
    private int[] placeholder = new int[8];
    private final double[] a;
    private final double[] b;

    /** @throws IllegalStateException when {@code layout} is not of the collaborative family */
    public OrtBatchedCollabRuntime(ParamLayout layout, int intraOpThreads) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.intraOpThreads = Checks.positive(intraOpThreads, "intraOpThreads");
        this.config = layout.collab();
        this.dim = config.dim();
        this.width = config.contentWidth();
        this.privateSize = config.privateSize();
        this.mu = layout.slot(ParamLayout.MU).offset();
        this.itemBias = layout.slot(ParamLayout.ITEM_BIAS).offset();
        this.itemEmb = layout.slot(ParamLayout.ITEM_EMB).offset();
        this.contentBias = layout.slot(ParamLayout.CONTENT_BIAS).offset();
        this.contentEmb = layout.slot(ParamLayout.CONTENT_EMB).offset();
        this.prior = layout.slot(ParamLayout.PRIOR).offset();
        this.content = new DirectFloats(INITIAL * width);
        this.contentBiasOut = new DirectFloats(8 * width);
        this.contentEmbOut = new DirectFloats(8 * width * dim);
        this.a = new double[privateSize * privateSize];
        this.b = new double[privateSize];
        this.theta = DirectFloats.allocate(layout.size());
        OrtSession ridge = null;
        OnnxTensor t = null;
        try (OrtSession.SessionOptions options = OrtSessions.options(intraOpThreads)) {
            ridge = env.createSession(CollabBatchedGraphs.ridge(layout).bytes(), options);
            t = OnnxTensor.createTensor(env, theta, new long[] {layout.size()});
        } catch (OrtException | RuntimeException e) {
            OrtClose.quietly(ridge);
            throw new IllegalStateException("Failed to create the batched collaborative ONNX Runtime session for "
                    + layout, e);
        }
        this.ridgeSession = ridge;
        this.thetaTensor = t;
    }

    public ParamLayout layout() {
        return layout;
    }

    /**
     * Adapts θ to every member (all with the same number of steps) and returns their outcomes in order.
     *
     * @throws IllegalArgumentException for an empty group, a θ or batch that does not fit the layout, or members
     *                                  with different numbers of steps
     */
    public List<Outcome> adapt(ParamVector theta, List<Member> members) {
        Objects.requireNonNull(theta, "theta").requireSize(layout.size(), "theta");
        check(members);
        guard.enter("adapt");
        try {
            return run(theta, members);
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run the batched ONNX collaborative adaptation", e);
        } finally {
            guard.exit();
        }
    }

    private List<Outcome> run(ParamVector theta, List<Member> members) throws OrtException {
        if (theta != resident) {
            FloatBuffer view = this.theta.duplicate();
            ((Buffer) view).clear();
            view.put(theta.buffer());
            resident = theta;
        }
        int clients = members.size();
        int slots = 1;
        for (Member m : members) {
            slots = Math.max(slots, m.ratings.size());
        }
        int steps = members.get(0).plan.steps();
        fillRatings(members, slots);

        // 1. Both ridge systems of every client; solved per client, so a bad system fails its client alone.
        int n = privateSize;
        DoubleBuffer ridgeAOut = ridgeA.reserve(clients * 2 * n * n);
        DoubleBuffer ridgeBOut = ridgeB.reserve(clients * 2 * n);
        try (Tensors in = new Tensors(); Tensors out = new Tensors()) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(THETA, thetaTensor);
            inputs.put(ROWS, in.add(OnnxTensor.createTensor(env, rows.reserve(clients * slots),
                    new long[] {clients, slots})));
            inputs.put(CONTENT, in.add(OnnxTensor.createTensor(env, content.reserve(clients * slots * width),
                    new long[] {clients, slots, width})));
            inputs.put(RATINGS, in.add(OnnxTensor.createTensor(env, ratings.reserve(clients * slots),
                    new long[] {clients, slots})));
            inputs.put(RIDGE_WEIGHTS, in.add(OnnxTensor.createTensor(env, ridgeWeights.reserve(clients * 2 * slots),
                    new long[] {clients, 2, slots})));
            Map<String, OnnxTensor> outputs = new HashMap<>();
            outputs.put(RIDGE_A, out.add(OnnxTensor.createTensor(env, ridgeAOut, new long[] {clients, 2, n, n})));
            outputs.put(RIDGE_B, out.add(OnnxTensor.createTensor(env, ridgeBOut, new long[] {clients, 2, n})));
            ridgeSession.run(inputs, outputs).close();
        }
        float[][] zAll = new float[clients][];
        float[][] zTrained = new float[clients][];
        IllegalStateException[] failures = new IllegalStateException[clients];
        FloatBuffer zIn = z.reserve(clients * n);
        FloatBuffer lr = learningRates.reserve(clients);
        for (int c = 0; c < clients; c++) {
            CollabAdaptationPlan plan = members.get(c).plan;
            try {
                zAll[c] = solve(ridgeAOut, ridgeBOut, c * 2);
                switch (plan.user()) {
                    case RECONSTRUCTION:
                        zTrained[c] = solve(ridgeAOut, ridgeBOut, c * 2 + 1);
                        break;
                    case PRIOR:
                        zTrained[c] = theta.toArray(prior, prior + n);
                        break;
                    default:
                        zTrained[c] = zAll[c];
                        break;
                }
            } catch (IllegalStateException e) {
                failures[c] = e;
                zTrained[c] = theta.toArray(prior, prior + n); // a placeholder: the client's result is dropped
            }
            DirectFloats.put(zIn, c * n, zTrained[c], n);
            lr.put(c, members.get(c).learningRate);
        }

        // 2. Local item rows, the steps' and the training half's indices, then every step of every client.
        int[][] distinct = new int[clients][];
        int[] base = new int[clients];
        int local = localRows(members, slots, distinct, base);
        int batch = 1;
        int training = 1;
        for (Member m : members) {
            for (int s = 0; s < steps; s++) {
                batch = Math.max(batch, m.plan.stepSize(s));
            }
            training = Math.max(training, m.plan.trainingSize());
        }
        if (counts.length < local) {
            counts = new int[Math.max(local, 2 * counts.length)];
        }
        fillSteps(members, slots, steps, batch, local);
        fillTraining(members, slots, training);
        FloatBuffer emb = embOut.reserve(local * dim);
        FloatBuffer bias = biasOut.reserve(local);
        FloatBuffer muAfter = muOut.reserve(clients);
        FloatBuffer cb = contentBiasOut.reserve(clients * width);
        FloatBuffer ce = contentEmbOut.reserve(clients * width * dim);
        DoubleBuffer before = lossBefore.reserve(clients);
        DoubleBuffer after = lossAfter.reserve(clients);
        try (Tensors in = new Tensors(); Tensors out = new Tensors()) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(THETA, thetaTensor);
            inputs.put(ITEM_ROWS, in.add(OnnxTensor.createTensor(env, itemRows.reserve(local), new long[] {local})));
            inputs.put(LOCAL_CLIENT, in.add(OnnxTensor.createTensor(env, localClient.reserve(local),
                    new long[] {local})));
            inputs.put(Z, in.add(OnnxTensor.createTensor(env, zIn, new long[] {clients, n})));
            inputs.put(LEARNING_RATE, in.add(OnnxTensor.createTensor(env, lr, new long[] {clients})));
            inputs.put(CONTENT, in.add(OnnxTensor.createTensor(env, content.reserve(clients * slots * width),
                    new long[] {clients, slots, width})));
            inputs.put(RATINGS, in.add(OnnxTensor.createTensor(env, ratings.reserve(clients * slots),
                    new long[] {clients, slots})));
            if (steps > 0) {
                long[] shape = {steps, clients, batch};
                int size = steps * clients * batch;
                inputs.put(STEP_RATINGS, in.add(OnnxTensor.createTensor(env, stepRatings.reserve(size), shape)));
                inputs.put(STEP_LOCAL, in.add(OnnxTensor.createTensor(env, stepLocal.reserve(size), shape)));
                inputs.put(STEP_WEIGHTS, in.add(OnnxTensor.createTensor(env, stepWeights.reserve(size), shape)));
                inputs.put(STEP_VALID, in.add(OnnxTensor.createTensor(env, stepValid.reserve(size), shape)));
                inputs.put(STEP_SHARE, in.add(OnnxTensor.createTensor(env, stepShare.reserve(size), shape)));
                inputs.put(STEP_PENALTY, in.add(OnnxTensor.createTensor(env, stepPenalty.reserve(steps * local),
                        new long[] {steps, local})));
            }
            long[] finalShape = {clients, training};
            int finalSize = clients * training;
            inputs.put(FINAL_RATINGS, in.add(OnnxTensor.createTensor(env, finalRatings.reserve(finalSize),
                    finalShape)));
            inputs.put(FINAL_LOCAL, in.add(OnnxTensor.createTensor(env, finalLocal.reserve(finalSize), finalShape)));
            inputs.put(FINAL_WEIGHTS, in.add(OnnxTensor.createTensor(env, finalWeights.reserve(finalSize),
                    finalShape)));
            inputs.put(FINAL_VALID, in.add(OnnxTensor.createTensor(env, finalValid.reserve(finalSize), finalShape)));
            Map<String, OnnxTensor> outputs = new HashMap<>();
            outputs.put(ITEM_EMB_OUT, out.add(OnnxTensor.createTensor(env, emb, new long[] {local, dim})));
            outputs.put(ITEM_BIAS_OUT, out.add(OnnxTensor.createTensor(env, bias, new long[] {local})));
            outputs.put(MU_OUT, out.add(OnnxTensor.createTensor(env, muAfter, new long[] {clients, 1})));
            outputs.put(CONTENT_BIAS_OUT, out.add(OnnxTensor.createTensor(env, cb, new long[] {clients, width})));
            outputs.put(CONTENT_EMB_OUT, out.add(OnnxTensor.createTensor(env, ce,
                    new long[] {clients, width, dim})));
            outputs.put(LOSS_BEFORE, out.add(OnnxTensor.createTensor(env, before, new long[] {clients})));
            outputs.put(LOSS_AFTER, out.add(OnnxTensor.createTensor(env, after, new long[] {clients})));
            adaptationSession(steps).run(inputs, outputs).close();
        }

        // 3. Each client's dense Δ of the shared parameters, computed as φ − θ is on the one-client path.
        List<Outcome> outcomes = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            if (failures[c] != null) {
                outcomes.add(new Outcome(null, null, null, Double.NaN, Double.NaN, failures[c]));
                continue;
            }
            float[] delta = new float[layout.size()];
            delta[mu] = muAfter.get(c) - theta.get(mu);
            for (int f = 0; f < width; f++) {
                delta[contentBias + f] = cb.get(c * width + f) - theta.get(contentBias + f);
            }
            int towerStart = c * width * dim;
            for (int i = 0; i < width * dim; i++) {
                delta[contentEmb + i] = ce.get(towerStart + i) - theta.get(contentEmb + i);
            }
            int[] mine = distinct[c];
            for (int j = 0; j < mine.length; j++) {
                int l = base[c] + j;
                int row = mine[j];
                delta[itemBias + row] = bias.get(l) - theta.get(itemBias + row);
                int target = itemEmb + row * dim;
                for (int k = 0; k < dim; k++) {
                    delta[target + k] = emb.get(l * dim + k) - theta.get(target + k);
                }
            }
            outcomes.add(new Outcome(delta, zAll[c], zTrained[c], before.get(c), after.get(c), null));
        }
        return outcomes;
    }

    /** Ratings [C, N], content [C, N, F] and the ridge weights [C, 2, N] (all; the reconstruction half). */
    private void fillRatings(List<Member> members, int slots) {
        int clients = members.size();
        LongBuffer r = rows.reserve(clients * slots);
        FloatBuffer x = content.reserve(clients * slots * width);
        FloatBuffer y = ratings.reserve(clients * slots);
        FloatBuffer w = ridgeWeights.reserve(clients * 2 * slots);
        for (int c = 0; c < clients; c++) {
            Member m = members.get(c);
            CollabBatch batch = m.ratings;
            int count = batch.size();
            int start = c * slots;
            for (int i = 0; i < slots; i++) {
                boolean real = i < count;
                r.put(start + i, real ? batch.rows()[i] : -1);
                y.put(start + i, real ? batch.ratings()[i] : 0f);
                w.put(2 * start + i, real ? batch.weights()[i] : 0f);
                w.put(2 * start + slots + i, 0f);
            }
            DirectFloats.put(x, start * width, batch.content(), count * width);
            for (int i = (start + count) * width; i < (start + slots) * width; i++) {
                x.put(i, 0f);
            }
            if (m.plan.user() == CollabAdaptationPlan.UserSource.RECONSTRUCTION) {
                for (int k = 0; k < m.plan.reconstructionSize(); k++) {
                    int i = m.plan.reconstructionRow(k);
                    w.put(2 * start + slots + i, batch.weights()[i]);
                }
            }
        }
    }

    /**
     * Every client's distinct table rows (sorted) and their place in the flat local table, each client's block led
     * by a placeholder row of its own (zeros; its rows outside the catalogue and its padding point at it with
     * validity 0 and add exact zeros to it, and a client's placeholder is never another's, so not even a diverging
     * client reaches its neighbours), and each rating's flat local row; returns the table's size.
     */
    private int localRows(List<Member> members, int slots, int[][] distinct, int[] base) {
        int clients = members.size();
        if (ratingLocal.length < clients * slots) {
            ratingLocal = new int[Math.max(clients * slots, 2 * ratingLocal.length)];
        }
        if (placeholder.length < clients) {
            placeholder = new int[Math.max(clients, 2 * placeholder.length)];
        }
        int total = 0;
        for (int c = 0; c < clients; c++) {
            placeholder[c] = total++;
            CollabBatch batch = members.get(c).ratings;
            int[] sorted = batch.rows().clone();
            Arrays.sort(sorted);
            int unique = 0;
            for (int v : sorted) {
                if (v >= 0 && (unique == 0 || sorted[unique - 1] != v)) {
                    sorted[unique++] = v;
                }
            }
            distinct[c] = Arrays.copyOf(sorted, unique);
            base[c] = total;
            for (int i = 0; i < batch.size(); i++) {
                int row = batch.rows()[i];
                ratingLocal[c * slots + i] = row < 0 ? placeholder[c] : total + Arrays.binarySearch(distinct[c], row);
            }
            total += unique;
        }
        LongBuffer table = itemRows.reserve(total);
        LongBuffer owner = localClient.reserve(total);
        for (int c = 0; c < clients; c++) {
            table.put(placeholder[c], config.items()); // the zero row after the table
            int end = c + 1 < clients ? placeholder[c + 1] : total;
            for (int l = placeholder[c]; l < end; l++) {
                owner.put(l, c);
            }
            for (int j = 0; j < distinct[c].length; j++) {
                table.put(base[c] + j, distinct[c][j]);
            }
        }
        return total;
    }

    /**
     * The steps' [k, C, B] tensors (indices, weights, validity and each row's share of its item's penalty) and
     * [k, L] (which local rows each step penalizes).
     */
    private void fillSteps(List<Member> members, int slots, int steps, int batch, int local) {
        int clients = members.size();
        int size = steps * clients * batch;
        FloatBuffer pen = stepPenalty.reserve(steps * local);
        for (int i = 0; i < steps * local; i++) {
            pen.put(i, 0f);
        }
        LongBuffer ri = stepRatings.reserve(size);
        LongBuffer li = stepLocal.reserve(size);
        FloatBuffer w = stepWeights.reserve(size);
        FloatBuffer v = stepValid.reserve(size);
        FloatBuffer sh = stepShare.reserve(size);
        for (int s = 0; s < steps; s++) {
            for (int c = 0; c < clients; c++) {
                CollabAdaptationPlan plan = members.get(c).plan;
                CollabBatch data = members.get(c).ratings;
                int start = (s * clients + c) * batch;
                int rowsInStep = plan.stepSize(s);
                // Multiplicities of the penalized rows (a table row and weight > 0), as CollabTrainStep counts them.
                for (int k = 0; k < rowsInStep; k++) {
                    int i = plan.stepRow(s, k);
                    if (data.rows()[i] >= 0 && data.weights()[i] > 0) {
                        counts[ratingLocal[c * slots + i]]++;
                        pen.put(s * local + ratingLocal[c * slots + i], 1f);
                    }
                }
                for (int k = 0; k < batch; k++) {
                    int at = start + k;
                    if (k >= rowsInStep) {
                        ri.put(at, (long) c * slots);
                        li.put(at, placeholder[c]);
                        w.put(at, 0f);
                        v.put(at, 0f);
                        sh.put(at, 0f);
                        continue;
                    }
                    int i = plan.stepRow(s, k);
                    int l = ratingLocal[c * slots + i];
                    boolean known = data.rows()[i] >= 0;
                    boolean penalized = known && data.weights()[i] > 0;
                    ri.put(at, (long) c * slots + i);
                    li.put(at, l);
                    w.put(at, data.weights()[i]);
                    v.put(at, known ? 1f : 0f);
                    sh.put(at, penalized ? 1f / counts[l] : 0f);
                }
                for (int k = 0; k < rowsInStep; k++) {
                    counts[ratingLocal[c * slots + plan.stepRow(s, k)]] = 0;
                }
            }
        }
    }

    /** The training half's [C, T] tensors, where lossAfter is measured. */
    private void fillTraining(List<Member> members, int slots, int training) {
        int clients = members.size();
        int size = clients * training;
        LongBuffer ri = finalRatings.reserve(size);
        LongBuffer li = finalLocal.reserve(size);
        FloatBuffer w = finalWeights.reserve(size);
        FloatBuffer v = finalValid.reserve(size);
        for (int c = 0; c < clients; c++) {
            CollabAdaptationPlan plan = members.get(c).plan;
            CollabBatch data = members.get(c).ratings;
            for (int k = 0; k < training; k++) {
                int at = c * training + k;
                if (k >= plan.trainingSize()) {
                    ri.put(at, (long) c * slots);
                    li.put(at, placeholder[c]);
                    w.put(at, 0f);
                    v.put(at, 0f);
                    continue;
                }
                int i = plan.trainingRow(k);
                ri.put(at, (long) c * slots + i);
                li.put(at, ratingLocal[c * slots + i]);
                w.put(at, data.weights()[i]);
                v.put(at, data.rows()[i] >= 0 ? 1f : 0f);
            }
        }
    }

    /** z of system {@code system} ([C·2] order) by the reference's Cholesky. */
    private float[] solve(DoubleBuffer ridgeAOut, DoubleBuffer ridgeBOut, int system) {
        int n = privateSize;
        for (int i = 0; i < n * n; i++) {
            a[i] = ridgeAOut.get(system * n * n + i);
        }
        for (int i = 0; i < n; i++) {
            b[i] = ridgeBOut.get(system * n + i);
        }
        double[] solution = Cholesky.solve(a, b, n);
        float[] result = new float[n];
        for (int k = 0; k < n; k++) {
            result[k] = (float) solution[k];
        }
        return result;
    }

    /** The session of the k-step graph, opened on first use (k is fixed by a round's task, so there are few). */
    private OrtSession adaptationSession(int steps) throws OrtException {
        OrtSession session = adaptationSessions.get(steps);
        if (session == null) {
            try (OrtSession.SessionOptions options = OrtSessions.options(intraOpThreads)) {
                session = env.createSession(CollabBatchedGraphs.adaptation(layout, steps).bytes(), options);
            }
            adaptationSessions.put(steps, session);
            LOG.debug("Opened the batched collaborative adaptation session for k = {} ({})", steps, layout);
        }
        return session;
    }

    private void check(List<Member> members) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        int steps = members.get(0).plan.steps();
        for (int c = 0; c < members.size(); c++) {
            Member m = Objects.requireNonNull(members.get(c), "members[" + c + "]");
            if (m.plan.steps() != steps) {
                throw new IllegalArgumentException("members of one call must share the number of steps: members[0]"
                        + " has " + steps + ", members[" + c + "] has " + m.plan.steps());
            }
            CollabBatch batch = m.ratings;
            if (batch.contentWidth() != width) {
                throw new IllegalArgumentException("members[" + c + "] content width must be " + width + ", found "
                        + batch.contentWidth());
            }
            for (int r = 0; r < batch.size(); r++) {
                if (batch.rows()[r] >= config.items()) {
                    throw new IllegalArgumentException("members[" + c + "] rows[" + r + "] must be < "
                            + config.items() + ", found " + batch.rows()[r]);
                }
            }
        }
    }

    /**
     * Releases the sessions and θ's tensor; idempotent.
     *
     * @throws IllegalStateException when another thread is using the runtime
     */
    @Override
    public void close() {
        if (guard.close()) {
            thetaTensor.close();
            OrtClose.quietly(ridgeSession);
            for (OrtSession s : adaptationSessions.values()) {
                OrtClose.quietly(s);
            }
            adaptationSessions.clear();
        }
    }

    @Override
    public String toString() {
        return "OrtBatchedCollabRuntime[" + layout + ", graphs v" + MetafedGraphs.FORMAT_VERSION + "]";
    }

    /** The per-call tensor wrappers over the reused buffers; closing releases only the wrappers. */
    private static final class Tensors implements AutoCloseable {
        private final List<OnnxTensor> tensors = new ArrayList<>();

        OnnxTensor add(OnnxTensor t) {
            tensors.add(t);
            return t;
        }

        @Override
        public void close() {
            for (OnnxTensor t : tensors) {
                t.close();
            }
        }
    }

    /** A direct, native-order double buffer reused across runs, grown (at least doubling) when too small. */
    private static final class Doubles {
        private DoubleBuffer buffer;

        Doubles(int initial) {
            buffer = allocate(initial);
        }

        private static DoubleBuffer allocate(int n) {
            return ByteBuffer.allocateDirect(Math.multiplyExact(n, Double.BYTES)).order(ByteOrder.nativeOrder())
                    .asDoubleBuffer();
        }

        DoubleBuffer reserve(int n) {
            if (n > buffer.capacity()) {
                buffer = allocate(Math.max(n, 2 * buffer.capacity()));
            }
            ((Buffer) buffer).clear().limit(n);
            return buffer;
        }
    }
}
