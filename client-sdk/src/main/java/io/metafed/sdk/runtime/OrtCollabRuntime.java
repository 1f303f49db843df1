package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.CollabGraphs.CONTENT;
import static io.metafed.model.onnx.CollabGraphs.LEARNING_RATE;
import static io.metafed.model.onnx.CollabGraphs.LOSS;
import static io.metafed.model.onnx.CollabGraphs.PREDICTIONS;
import static io.metafed.model.onnx.CollabGraphs.RATINGS;
import static io.metafed.model.onnx.CollabGraphs.RIDGE_A;
import static io.metafed.model.onnx.CollabGraphs.RIDGE_B;
import static io.metafed.model.onnx.CollabGraphs.ROWS;
import static io.metafed.model.onnx.CollabGraphs.THETA;
import static io.metafed.model.onnx.CollabGraphs.THETA_OUT;
import static io.metafed.model.onnx.CollabGraphs.WEIGHTS;
import static io.metafed.model.onnx.CollabGraphs.Z;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.metafed.model.Checks;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.CollabGraphs;
import io.metafed.model.onnx.MetafedGraphs;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link CollabRuntime} backed by ONNX Runtime: the {@link CollabGraphs} of one collaborative layout (scoring, ridge
 * normal equations, SGD step), opened once and reused by every call. The (d+1)×(d+1) ridge system the graph builds
 * is solved here by the reference's double-precision Cholesky, so a reconstruction differs from
 * {@code CollabReference} only by float rounding in the graph. Inputs and outputs live in direct buffers reused
 * across calls (fixed-size outputs are pinned, so ORT writes straight into them), grown when a bigger batch arrives.
 * <p>
 * Not thread-safe by design, like {@link OrtModelRuntime}: a simulator gives each worker thread its own runtime and a
 * device has one. Concurrent use and use after {@link #close()} throw {@link IllegalStateException} rather than block.
 */
public final class OrtCollabRuntime implements CollabRuntime, AutoCloseable {
    private static final int INITIAL_ROWS = 64;
    private static final long[] SCALAR = {};

    private final ParamLayout layout;
    private final CollabConfig config;
    private final int width;
    private final int privateSize;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtCollabSessions sessions;
    private final UseGuard guard = new UseGuard("OrtCollabRuntime");
    // Fixed-shape tensors live as long as the runtime; their buffers are rewritten before every run.
    private final FloatBuffer theta;
    private final FloatBuffer thetaOut;
    private final FloatBuffer z;
    private final FloatBuffer learningRate = DirectFloats.allocate(1);
    private final DoubleBuffer loss = DirectDoubles.allocate(1);
    private final DoubleBuffer ridgeA;
    private final DoubleBuffer ridgeB;
    private final OnnxTensor thetaTensor;
    private final OnnxTensor thetaOutTensor;
    private final OnnxTensor zTensor;
    private final OnnxTensor learningRateTensor;
    private final OnnxTensor lossTensor;
    private final OnnxTensor ridgeATensor;
    private final OnnxTensor ridgeBTensor;
    private final DirectLongs rows = new DirectLongs(INITIAL_ROWS);
    private final DirectFloats content;
    private final DirectFloats ratings = new DirectFloats(INITIAL_ROWS);
    private final DirectFloats weights = new DirectFloats(INITIAL_ROWS);
    private final DirectFloats predictions = new DirectFloats(INITIAL_ROWS);

    /** A runtime with {@value OrtModelRuntime#DEFAULT_INTRA_OP_THREADS} intra-op thread, the right default on a phone. */
    public OrtCollabRuntime(ParamLayout layout) {
        this(layout, OrtModelRuntime.DEFAULT_INTRA_OP_THREADS);
    }

    /** @throws IllegalStateException when {@code layout} is not of the collaborative family */
    public OrtCollabRuntime(ParamLayout layout, int intraOpThreads) {
        this.layout = Objects.requireNonNull(layout, "layout");
        Checks.positive(intraOpThreads, "intraOpThreads");
        this.config = layout.collab();
        this.width = config.contentWidth();
        this.privateSize = config.privateSize();
        this.content = new DirectFloats(INITIAL_ROWS * width);
        this.theta = DirectFloats.allocate(layout.size());
        this.thetaOut = DirectFloats.allocate(layout.size());
        this.z = DirectFloats.allocate(privateSize);
        this.ridgeA = DirectDoubles.allocate(privateSize * privateSize);
        this.ridgeB = DirectDoubles.allocate(privateSize);
        this.sessions = OrtCollabSessions.open(env, layout, intraOpThreads);
        try {
            long[] vector = {layout.size()};
            thetaTensor = sessions.track(OnnxTensor.createTensor(env, theta, vector));
            thetaOutTensor = sessions.track(OnnxTensor.createTensor(env, thetaOut, vector));
            zTensor = sessions.track(OnnxTensor.createTensor(env, z, new long[] {privateSize}));
            learningRateTensor = sessions.track(OnnxTensor.createTensor(env, learningRate, SCALAR));
            lossTensor = sessions.track(OnnxTensor.createTensor(env, loss, SCALAR));
            ridgeATensor = sessions.track(OnnxTensor.createTensor(env, ridgeA,
                    new long[] {privateSize, privateSize}));
            ridgeBTensor = sessions.track(OnnxTensor.createTensor(env, ridgeB, new long[] {privateSize}));
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
    public float[] predict(float[] theta, float[] z, CollabBatch batch) {
        check(theta, z, batch);
        guard.enter("predict");
        try {
            int n = batch.size();
            DirectFloats.put(this.theta, 0, theta, theta.length);
            DirectFloats.put(this.z, 0, z, z.length);
            FloatBuffer out = predictions.reserve(n);
            try (BatchTensors b = new BatchTensors(batch, false);
                    OnnxTensor y = OnnxTensor.createTensor(env, out, new long[] {n})) {
                sessions.scoring().run(Map.of(THETA, thetaTensor, Z, zTensor, ROWS, b.rows, CONTENT, b.content),
                        Map.of(PREDICTIONS, y)).close();
            }
            float[] result = new float[n];
            DirectFloats.get(out, 0, result);
            return result;
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run ONNX collaborative scoring", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public float[] reconstruct(float[] theta, CollabBatch support) {
        Checks.length(theta, layout.size(), "theta");
        checkBatch(support);
        double[] a = new double[privateSize * privateSize];
        double[] b = new double[privateSize];
        guard.enter("reconstruct");
        try {
            DirectFloats.put(this.theta, 0, theta, theta.length);
            try (BatchTensors t = new BatchTensors(support, true)) {
                sessions.ridge().run(Map.of(THETA, thetaTensor, ROWS, t.rows, CONTENT, t.content, RATINGS, t.ratings,
                        WEIGHTS, t.weights), Map.of(RIDGE_A, ridgeATensor, RIDGE_B, ridgeBTensor)).close();
            }
            DirectDoubles.get(ridgeA, 0, a);
            DirectDoubles.get(ridgeB, 0, b);
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run ONNX ridge normal equations", e);
        } finally {
            guard.exit();
        }
        return RidgeSolve.solve(a, b);
    }

    @Override
    public double trainStep(float[] theta, float[] z, CollabBatch batch, float learningRate, float[] out) {
        check(theta, z, batch);
        Checks.length(out, layout.size(), "out");
        Checks.finite(learningRate, "learningRate");
        guard.enter("trainStep");
        try {
            DirectFloats.put(this.theta, 0, theta, theta.length);
            DirectFloats.put(this.z, 0, z, z.length);
            this.learningRate.put(0, learningRate);
            try (BatchTensors b = new BatchTensors(batch, true)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                inputs.put(THETA, thetaTensor);
                inputs.put(Z, zTensor);
                inputs.put(ROWS, b.rows);
                inputs.put(CONTENT, b.content);
                inputs.put(RATINGS, b.ratings);
                inputs.put(WEIGHTS, b.weights);
                inputs.put(LEARNING_RATE, learningRateTensor);
                sessions.trainStep().run(inputs, Map.of(THETA_OUT, thetaOutTensor, LOSS, lossTensor)).close();
            }
            DirectFloats.get(thetaOut, 0, out); // after the run: out may alias theta
            return loss.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run ONNX collaborative train step", e);
        } finally {
            guard.exit();
        }
    }

    /** Capacity in rows of the reused content buffer (grows with the largest batch seen). */
    int contentRowCapacity() {
        return content.capacity() / width;
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
        return "OrtCollabRuntime[" + layout + ", graphs v" + MetafedGraphs.FORMAT_VERSION + "]";
    }

    /** The per-call tensors over the reused batch buffers; closing them releases only the ORT wrappers. */
    private final class BatchTensors implements AutoCloseable {
        final OnnxTensor rows;
        final OnnxTensor content;
        final OnnxTensor ratings;
        final OnnxTensor weights;

        BatchTensors(CollabBatch batch, boolean labels) throws OrtException {
            int n = batch.size();
            long[] vector = {n};
            OnnxTensor r = null;
            OnnxTensor x = null;
            OnnxTensor y = null;
            OnnxTensor w = null;
            try {
                r = OnnxTensor.createTensor(env, OrtCollabRuntime.this.rows.fill(batch.rows(), n), vector);
                x = OnnxTensor.createTensor(env, OrtCollabRuntime.this.content.fill(batch.content(), n * width),
                        new long[] {n, width});
                if (labels) {
                    y = OnnxTensor.createTensor(env, OrtCollabRuntime.this.ratings.fill(batch.ratings(), n), vector);
                    w = OnnxTensor.createTensor(env, OrtCollabRuntime.this.weights.fill(batch.weights(), n), vector);
                }
            } catch (OrtException | RuntimeException e) {
                closeAll(r, x, y, w);
                throw e;
            }
            this.rows = r;
            this.content = x;
            this.ratings = y;
            this.weights = w;
        }

        @Override
        public void close() {
            closeAll(rows, content, ratings, weights);
        }
    }

    private static void closeAll(OnnxTensor... tensors) {
        for (OnnxTensor t : tensors) {
            if (t != null) {
                t.close();
            }
        }
    }

    private void check(float[] theta, float[] z, CollabBatch batch) {
        Checks.length(theta, layout.size(), "theta");
        Checks.length(z, privateSize, "z");
        checkBatch(batch);
    }

    private void checkBatch(CollabBatch batch) {
        Objects.requireNonNull(batch, "batch").requireFits(config, "batch");
    }
}
