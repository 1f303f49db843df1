package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.MetafedGraphs.FEATURES;
import static io.metafed.model.onnx.MetafedGraphs.LEARNING_RATE;
import static io.metafed.model.onnx.MetafedGraphs.LOSS;
import static io.metafed.model.onnx.MetafedGraphs.PARAMS;
import static io.metafed.model.onnx.MetafedGraphs.PARAMS_OUT;
import static io.metafed.model.onnx.MetafedGraphs.PREDICTIONS;
import static io.metafed.model.onnx.MetafedGraphs.RATINGS;
import static io.metafed.model.onnx.MetafedGraphs.WEIGHTS;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.metafed.model.Checks;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ModelRuntime} backed by ONNX Runtime: the scoring and adaptation-step graphs of one layout, run on the
 * process-wide {@link OrtEnvironment}. Inputs and outputs live in direct buffers reused across calls (outputs
 * are pinned, so ORT writes straight into them), grown when a bigger batch arrives.
 * <p>
 * Not thread-safe by design: a simulator gives each worker thread its own runtime and a device has one.
 * Concurrent use and use after {@link #close()} throw {@link IllegalStateException} rather than block.
 */
public final class OrtModelRuntime implements ModelRuntime, AutoCloseable {
    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    private static final int INITIAL_ROWS = 64;
    private static final long[] SCALAR = {};

    private final ParamLayout layout;
    private final int width;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSessions sessions;
    private final UseGuard guard = new UseGuard("OrtModelRuntime");
    // Fixed-shape tensors live as long as the runtime; their buffers are rewritten before every run.
    private final FloatBuffer params;
    private final FloatBuffer paramsOut;
    private final FloatBuffer loss = DirectFloats.allocate(1);
    private final FloatBuffer learningRate = DirectFloats.allocate(1);
    private final OnnxTensor paramsTensor;
    private final OnnxTensor paramsOutTensor;
    private final OnnxTensor lossTensor;
    private final OnnxTensor learningRateTensor;
    private final DirectFloats features;
    private final DirectFloats ratings = new DirectFloats(INITIAL_ROWS);
    private final DirectFloats weights = new DirectFloats(INITIAL_ROWS);
    private final DirectFloats predictions = new DirectFloats(INITIAL_ROWS);
    private volatile Runnable runHook = () -> { };

    /** A runtime with {@value #DEFAULT_INTRA_OP_THREADS} intra-op thread, the right default on a phone. */
    public OrtModelRuntime(ParamLayout layout) {
        this(layout, DEFAULT_INTRA_OP_THREADS);
    }

    public OrtModelRuntime(ParamLayout layout, int intraOpThreads) {
        this.layout = Objects.requireNonNull(layout, "layout");
        Checks.positive(intraOpThreads, "intraOpThreads");
        this.width = layout.config().schema().width();
        this.features = new DirectFloats(INITIAL_ROWS * width);
        this.params = DirectFloats.allocate(layout.size());
        this.paramsOut = DirectFloats.allocate(layout.size());
        this.sessions = OrtSessions.open(env, layout, intraOpThreads);
        try {
            long[] vector = {layout.size()};
            paramsTensor = sessions.track(OnnxTensor.createTensor(env, params, vector));
            paramsOutTensor = sessions.track(OnnxTensor.createTensor(env, paramsOut, vector));
            lossTensor = sessions.track(OnnxTensor.createTensor(env, loss, SCALAR));
            learningRateTensor = sessions.track(OnnxTensor.createTensor(env, learningRate, SCALAR));
        } catch (OrtException | RuntimeException e) {
            sessions.close();
            throw new IllegalStateException("Failed to create ONNX tensors for " + layout, e);
        }
    }

    @Override
    public ParamLayout layout() {
        return layout;
    }

    @Override
    public float[] predict(float[] params, float[] features, int n) {
        Checks.nonNegative(n, "n");
        Checks.length(params, layout.size(), "params");
        Checks.length(features, Math.multiplyExact(n, width), "features");
        guard.enter("predict");
        try {
            runHook.run();
            if (n == 0) {
                return new float[0];
            }
            DirectFloats.put(this.params, 0, params, params.length);
            FloatBuffer out = predictions.reserve(n);
            try (OnnxTensor x = OnnxTensor.createTensor(env, this.features.fill(features, n * width),
                    new long[] {n, width});
                    OnnxTensor y = OnnxTensor.createTensor(env, out, new long[] {n})) {
                sessions.scoring().run(Map.of(PARAMS, paramsTensor, FEATURES, x), Map.of(PREDICTIONS, y)).close();
            }
            float[] result = new float[n];
            DirectFloats.get(out, 0, result);
            return result;
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run ONNX scoring", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public double sgdStep(float[] params, Batch batch, float learningRate, float[] out) {
        Objects.requireNonNull(batch, "batch");
        Checks.length(params, layout.size(), "params");
        Checks.length(out, layout.size(), "out");
        if (batch.width() != width) {
            throw new IllegalArgumentException("batch width must be " + width + ", found " + batch.width());
        }
        Checks.finite(learningRate, "learningRate");
        guard.enter("sgdStep");
        try {
            runHook.run();
            int n = batch.size();
            DirectFloats.put(this.params, 0, params, params.length);
            this.learningRate.put(0, learningRate);
            try (OnnxTensor x = OnnxTensor.createTensor(env, features.fill(batch.features(), n * width),
                    new long[] {n, width});
                    OnnxTensor y = OnnxTensor.createTensor(env, ratings.fill(batch.ratings(), n), new long[] {n});
                    OnnxTensor w = OnnxTensor.createTensor(env, weights.fill(batch.weights(), n), new long[] {n})) {
                sessions.adaptation().run(
                        Map.of(PARAMS, paramsTensor, FEATURES, x, RATINGS, y, WEIGHTS, w,
                                LEARNING_RATE, learningRateTensor),
                        Map.of(PARAMS_OUT, paramsOutTensor, LOSS, lossTensor)).close();
            }
            DirectFloats.get(paramsOut, 0, out); // after the run: out may alias params
            return loss.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run ONNX adaptation step", e);
        } finally {
            guard.exit();
        }
    }

    /** Test seam: runs inside every predict/sgdStep while the runtime is marked in use. */
    void onRun(Runnable hook) {
        this.runHook = Objects.requireNonNull(hook, "hook");
    }

    /** Capacity in rows of the reused feature buffer (grows with the largest batch seen). */
    int featureRowCapacity() {
        return features.capacity() / width;
    }

    /**
     * Releases the sessions and tensors; idempotent.
     *
     * @throws IllegalStateException when another thread is using the runtime
     */
    @Override
    public void close() {
        if (guard.close()) {
            sessions.close();
        }
    }

    @Override
    public String toString() {
        return "OrtModelRuntime[" + layout + ", graphs v" + MetafedGraphs.FORMAT_VERSION + "]";
    }
}
