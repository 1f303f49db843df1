package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_LOCAL;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_VALID;
import static io.metafed.model.onnx.CollabBatchedGraphs.FINAL_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_ROWS;
import static io.metafed.model.onnx.CollabBatchedGraphs.LEARNING_RATE;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOCAL_CLIENT;
import static io.metafed.model.onnx.CollabBatchedGraphs.RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.ROWS;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_LOCAL;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_PENALTY;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_RATINGS;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_SHARE;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_VALID;
import static io.metafed.model.onnx.CollabBatchedGraphs.STEP_WEIGHTS;
import static io.metafed.model.onnx.CollabBatchedGraphs.Z;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.metafed.model.nn.CollabAdaptationPlan;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.onnx.CollabBatchedGraphs;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime.Member;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Java half of {@link OrtBatchedCollabRuntime}: one group's ratings, plans and user vectors packed into the
 * direct buffers the two {@link CollabBatchedGraphs} read, and those buffers wrapped as the graphs' named inputs.
 * The buffers are reused across calls and grown only when a bigger group arrives; the shapes ([C, N] ratings, the
 * flat local item table [L], [k, C, B] steps, [C, T] training half) are those of the group last {@link #pack packed}.
 */
final class CollabGroupInputs {
    private static final int INITIAL = 256;

    private final CollabConfig config;
    private final int width;
    private final int privateSize;

    private final DirectLongs rows = new DirectLongs(INITIAL);
    private final DirectFloats content;
    private final DirectFloats ratings = new DirectFloats(INITIAL);
    private final DirectFloats ridgeWeights = new DirectFloats(2 * INITIAL);
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
    /** Scratch: each rating's flat local row, per-local-row multiplicity counts, each client's placeholder row. */
    private int[] ratingLocal = new int[INITIAL];
    private int[] counts = new int[INITIAL];
    private int[] placeholder = new int[8];

    /** The packed group: C clients, N rating slots, k steps, B step rows, T training rows, L local rows. */
    private int clients;
    private int slots;
    private int steps;
    private int batch;
    private int training;
    private int local;
    /** Each client's distinct table rows (sorted) and where they start in the local table. */
    private int[][] distinct;
    private int[] base;

    CollabGroupInputs(CollabConfig config) {
        this.config = config;
        this.width = config.contentWidth();
        this.privateSize = config.privateSize();
        this.content = new DirectFloats(INITIAL * width);
    }

    /** Packs everything but the user vectors, which the ridge graph's systems decide ({@link #packUsers}). */
    void pack(List<Member> members) {
        clients = members.size();
        slots = 1;
        batch = 1;
        training = 1;
        steps = members.get(0).plan.steps();
        for (Member m : members) {
            slots = Math.max(slots, m.ratings.size());
            for (int s = 0; s < steps; s++) {
                batch = Math.max(batch, m.plan.stepSize(s));
            }
            training = Math.max(training, m.plan.trainingSize());
        }
        fillRatings(members);
        distinct = new int[clients][];
        base = new int[clients];
        local = localRows(members);
        if (counts.length < local) {
            counts = new int[Math.max(local, 2 * counts.length)];
        }
        fillSteps(members);
        fillTraining(members);
    }

    /** The z [C, d+1] the steps hold fixed and the learning rates [C]. */
    void packUsers(List<Member> members, float[][] zTrained) {
        FloatBuffer zIn = z.reserve(clients * privateSize);
        FloatBuffer lr = learningRates.reserve(clients);
        for (int c = 0; c < clients; c++) {
            DirectFloats.put(zIn, c * privateSize, zTrained[c], privateSize);
            lr.put(c, members.get(c).learningRate);
        }
    }

    int clients() {
        return clients;
    }

    int steps() {
        return steps;
    }

    /** Rows of the flat local item table (every client's placeholder and distinct rows). */
    int local() {
        return local;
    }

    /** Client {@code c}'s distinct table rows, sorted; local row {@code base(c) + j} holds row {@code j}. */
    int[] distinct(int c) {
        return distinct[c];
    }

    int base(int c) {
        return base[c];
    }

    /** The ridge graph's inputs but θ. */
    void ridgeInputs(OrtEnvironment env, Tensors in, Map<String, OnnxTensor> inputs) throws OrtException {
        ratingInputs(env, in, inputs);
        inputs.put(ROWS, in.add(OnnxTensor.createTensor(env, rows.reserve(clients * slots),
                new long[] {clients, slots})));
        inputs.put(RIDGE_WEIGHTS, in.add(OnnxTensor.createTensor(env, ridgeWeights.reserve(clients * 2 * slots),
                new long[] {clients, 2, slots})));
    }

    /** The k-step graph's inputs but θ. */
    void adaptationInputs(OrtEnvironment env, Tensors in, Map<String, OnnxTensor> inputs) throws OrtException {
        ratingInputs(env, in, inputs);
        inputs.put(ITEM_ROWS, in.add(OnnxTensor.createTensor(env, itemRows.reserve(local), new long[] {local})));
        inputs.put(LOCAL_CLIENT, in.add(OnnxTensor.createTensor(env, localClient.reserve(local),
                new long[] {local})));
        inputs.put(Z, in.add(OnnxTensor.createTensor(env, z.reserve(clients * privateSize),
                new long[] {clients, privateSize})));
        inputs.put(LEARNING_RATE, in.add(OnnxTensor.createTensor(env, learningRates.reserve(clients),
                new long[] {clients})));
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
        inputs.put(FINAL_RATINGS, in.add(OnnxTensor.createTensor(env, finalRatings.reserve(finalSize), finalShape)));
        inputs.put(FINAL_LOCAL, in.add(OnnxTensor.createTensor(env, finalLocal.reserve(finalSize), finalShape)));
        inputs.put(FINAL_WEIGHTS, in.add(OnnxTensor.createTensor(env, finalWeights.reserve(finalSize), finalShape)));
        inputs.put(FINAL_VALID, in.add(OnnxTensor.createTensor(env, finalValid.reserve(finalSize), finalShape)));
    }

    /** Content [C, N, F] and ratings [C, N], which both graphs read. */
    private void ratingInputs(OrtEnvironment env, Tensors in, Map<String, OnnxTensor> inputs) throws OrtException {
        inputs.put(CONTENT, in.add(OnnxTensor.createTensor(env, content.reserve(clients * slots * width),
                new long[] {clients, slots, width})));
        inputs.put(RATINGS, in.add(OnnxTensor.createTensor(env, ratings.reserve(clients * slots),
                new long[] {clients, slots})));
    }

    /** Ratings [C, N], content [C, N, F] and the ridge weights [C, 2, N] (all; the reconstruction half). */
    private void fillRatings(List<Member> members) {
        LongBuffer r = rows.reserve(clients * slots);
        FloatBuffer x = content.reserve(clients * slots * width);
        FloatBuffer y = ratings.reserve(clients * slots);
        FloatBuffer w = ridgeWeights.reserve(clients * 2 * slots);
        for (int c = 0; c < clients; c++) {
            Member m = members.get(c);
            CollabBatch data = m.ratings;
            int count = data.size();
            int start = c * slots;
            for (int i = 0; i < slots; i++) {
                boolean real = i < count;
                r.put(start + i, real ? data.rows()[i] : -1);
                y.put(start + i, real ? data.ratings()[i] : 0f);
                w.put(2 * start + i, real ? data.weights()[i] : 0f);
                w.put(2 * start + slots + i, 0f);
            }
            DirectFloats.put(x, start * width, data.content(), count * width);
            for (int i = (start + count) * width; i < (start + slots) * width; i++) {
                x.put(i, 0f);
            }
            if (m.plan.user() == CollabAdaptationPlan.UserSource.RECONSTRUCTION) {
                for (int k = 0; k < m.plan.reconstructionSize(); k++) {
                    int i = m.plan.reconstructionRow(k);
                    w.put(2 * start + slots + i, data.weights()[i]);
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
    private int localRows(List<Member> members) {
        if (ratingLocal.length < clients * slots) {
            ratingLocal = new int[Math.max(clients * slots, 2 * ratingLocal.length)];
        }
        if (placeholder.length < clients) {
            placeholder = new int[Math.max(clients, 2 * placeholder.length)];
        }
        int total = 0;
        for (int c = 0; c < clients; c++) {
            placeholder[c] = total++;
            CollabBatch data = members.get(c).ratings;
            int[] sorted = data.rows().clone();
            Arrays.sort(sorted);
            int unique = 0;
            for (int v : sorted) {
                if (v >= 0 && (unique == 0 || sorted[unique - 1] != v)) {
                    sorted[unique++] = v;
                }
            }
            distinct[c] = Arrays.copyOf(sorted, unique);
            base[c] = total;
            for (int i = 0; i < data.size(); i++) {
                int row = data.rows()[i];
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
    private void fillSteps(List<Member> members) {
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
                        padding(c, at, ri, li, w, v);
                        sh.put(at, 0f);
                        continue;
                    }
                    int i = plan.stepRow(s, k);
                    int l = ratingLocal[c * slots + i];
                    boolean penalized = data.rows()[i] >= 0 && data.weights()[i] > 0;
                    rating(c, i, data, at, ri, li, w, v);
                    sh.put(at, penalized ? 1f / counts[l] : 0f);
                }
                for (int k = 0; k < rowsInStep; k++) {
                    counts[ratingLocal[c * slots + plan.stepRow(s, k)]] = 0;
                }
            }
        }
    }

    /** The training half's [C, T] tensors, where lossAfter is measured. */
    private void fillTraining(List<Member> members) {
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
                    padding(c, at, ri, li, w, v);
                } else {
                    rating(c, plan.trainingRow(k), data, at, ri, li, w, v);
                }
            }
        }
    }

    /** Entry {@code at} of a step or the training half is client {@code c}'s rating {@code i}. */
    private void rating(int c, int i, CollabBatch data, int at, LongBuffer ri, LongBuffer li, FloatBuffer w,
            FloatBuffer v) {
        ri.put(at, (long) c * slots + i);
        li.put(at, ratingLocal[c * slots + i]);
        w.put(at, data.weights()[i]);
        v.put(at, data.rows()[i] >= 0 ? 1f : 0f);
    }

    /** Entry {@code at} pads client {@code c}'s rows: its first rating and its placeholder, with weight 0. */
    private void padding(int c, int at, LongBuffer ri, LongBuffer li, FloatBuffer w, FloatBuffer v) {
        ri.put(at, (long) c * slots);
        li.put(at, placeholder[c]);
        w.put(at, 0f);
        v.put(at, 0f);
    }
}
