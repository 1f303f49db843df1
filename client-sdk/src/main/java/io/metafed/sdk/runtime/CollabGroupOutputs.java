package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT_BIAS_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.CONTENT_EMB_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_BIAS_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.ITEM_EMB_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOSS_AFTER;
import static io.metafed.model.onnx.CollabBatchedGraphs.LOSS_BEFORE;
import static io.metafed.model.onnx.CollabBatchedGraphs.MU_OUT;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_A;
import static io.metafed.model.onnx.CollabBatchedGraphs.RIDGE_B;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabOffsets;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.onnx.CollabBatchedGraphs;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime.Outcome;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the two {@link CollabBatchedGraphs} of {@link OrtBatchedCollabRuntime} write, in direct buffers ORT writes
 * into (reused across calls, grown only when a bigger group arrives), and how it becomes per-client results: the
 * ridge systems [C, 2, n, n] and [C, 2, n], solved per system, and the adapted local item rows, μ, content towers
 * and losses, turned into each client's dense Δ of the shared parameters.
 */
final class CollabGroupOutputs {
    private final int size;
    private final int dim;
    private final int width;
    private final int privateSize;
    private final CollabOffsets at;
    private final DirectDoubles ridgeA = new DirectDoubles(64);
    private final DirectDoubles ridgeB = new DirectDoubles(64);
    private final DirectFloats embOut = new DirectFloats(256);
    private final DirectFloats biasOut = new DirectFloats(256);
    private final DirectFloats muOut = new DirectFloats(8);
    private final DirectFloats contentBiasOut;
    private final DirectFloats contentEmbOut;
    private final DirectDoubles lossBefore = new DirectDoubles(8);
    private final DirectDoubles lossAfter = new DirectDoubles(8);
    /** Scratch: one ridge system. */
    private final double[] a;
    private final double[] b;
    /** The last call's ridge systems, for {@link #solve}. */
    private DoubleBuffer systemsA;
    private DoubleBuffer systemsB;

    CollabGroupOutputs(CollabConfig config, CollabOffsets offsets, int size) {
        this.size = size;
        this.at = offsets;
        this.dim = config.dim();
        this.width = config.contentWidth();
        this.privateSize = config.privateSize();
        this.contentBiasOut = new DirectFloats(8 * width);
        this.contentEmbOut = new DirectFloats(8 * width * dim);
        this.a = new double[privateSize * privateSize];
        this.b = new double[privateSize];
    }

    /** The ridge graph's outputs for {@code clients} clients, two systems each. */
    Map<String, OnnxTensor> ridge(OrtEnvironment env, Tensors out, int clients) throws OrtException {
        int n = privateSize;
        systemsA = ridgeA.reserve(clients * 2 * n * n);
        systemsB = ridgeB.reserve(clients * 2 * n);
        Map<String, OnnxTensor> outputs = new HashMap<>();
        outputs.put(RIDGE_A, out.add(OnnxTensor.createTensor(env, systemsA, new long[] {clients, 2, n, n})));
        outputs.put(RIDGE_B, out.add(OnnxTensor.createTensor(env, systemsB, new long[] {clients, 2, n})));
        return outputs;
    }

    /**
     * z of system {@code system} ([C·2] order) by the reference's Cholesky.
     *
     * @throws IllegalStateException when the system is not positive definite
     */
    float[] solve(int system) {
        DirectDoubles.get(systemsA, system * a.length, a);
        DirectDoubles.get(systemsB, system * b.length, b);
        return RidgeSolve.solve(a, b);
    }

    /** The k-step graph's outputs for {@code clients} clients and a local item table of {@code local} rows. */
    Map<String, OnnxTensor> adaptation(OrtEnvironment env, Tensors out, int clients, int local) throws OrtException {
        Map<String, OnnxTensor> outputs = new HashMap<>();
        outputs.put(ITEM_EMB_OUT, out.add(OnnxTensor.createTensor(env, embOut.reserve(local * dim),
                new long[] {local, dim})));
        outputs.put(ITEM_BIAS_OUT, out.add(OnnxTensor.createTensor(env, biasOut.reserve(local),
                new long[] {local})));
        outputs.put(MU_OUT, out.add(OnnxTensor.createTensor(env, muOut.reserve(clients), new long[] {clients, 1})));
        outputs.put(CONTENT_BIAS_OUT, out.add(OnnxTensor.createTensor(env, contentBiasOut.reserve(clients * width),
                new long[] {clients, width})));
        outputs.put(CONTENT_EMB_OUT, out.add(OnnxTensor.createTensor(env,
                contentEmbOut.reserve(clients * width * dim), new long[] {clients, width, dim})));
        outputs.put(LOSS_BEFORE, out.add(OnnxTensor.createTensor(env, lossBefore.reserve(clients),
                new long[] {clients})));
        outputs.put(LOSS_AFTER, out.add(OnnxTensor.createTensor(env, lossAfter.reserve(clients),
                new long[] {clients})));
        return outputs;
    }

    /**
     * Each client's outcome after the k-step graph: its dense Δ of the shared parameters, computed as φ − θ is on
     * the one-client path, with its z and losses; or its failure.
     */
    List<Outcome> outcomes(ParamVector theta, CollabGroupInputs group, float[][] zAll, float[][] zTrained,
            IllegalStateException[] failures) {
        int clients = group.clients();
        int local = group.local();
        FloatBuffer emb = embOut.reserve(local * dim);
        FloatBuffer bias = biasOut.reserve(local);
        FloatBuffer muAfter = muOut.reserve(clients);
        FloatBuffer cb = contentBiasOut.reserve(clients * width);
        FloatBuffer ce = contentEmbOut.reserve(clients * width * dim);
        DoubleBuffer before = lossBefore.reserve(clients);
        DoubleBuffer after = lossAfter.reserve(clients);
        List<Outcome> outcomes = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            if (failures[c] != null) {
                outcomes.add(new Outcome(null, null, null, Double.NaN, Double.NaN, failures[c]));
                continue;
            }
            float[] delta = new float[size];
            delta[at.mu()] = muAfter.get(c) - theta.get(at.mu());
            for (int f = 0; f < width; f++) {
                delta[at.contentBias() + f] = cb.get(c * width + f) - theta.get(at.contentBias() + f);
            }
            int towerStart = c * width * dim;
            for (int i = 0; i < width * dim; i++) {
                delta[at.contentEmb() + i] = ce.get(towerStart + i) - theta.get(at.contentEmb() + i);
            }
            int[] mine = group.distinct(c);
            for (int j = 0; j < mine.length; j++) {
                int l = group.base(c) + j;
                int row = mine[j];
                delta[at.itemBias() + row] = bias.get(l) - theta.get(at.itemBias() + row);
                int target = at.itemEmb() + row * dim;
                for (int k = 0; k < dim; k++) {
                    delta[target + k] = emb.get(l * dim + k) - theta.get(target + k);
                }
            }
            outcomes.add(new Outcome(delta, zAll[c], zTrained[c], before.get(c), after.get(c), null));
        }
        return outcomes;
    }
}
