package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.metafed.model.nn.Batch;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs a Metafed graph in ONNX Runtime for tests; one session per harness, every native handle closed. */
final class OrtHarness implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtHarness(OnnxGraph graph) throws OrtException {
        this.session = env.createSession(graph.bytes());
    }

    /** Skips the calling test class or test when the build was run with {@code -DskipONNXTests=true}. */
    static void assumeOnnxEnabled() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests=true");
    }

    OrtSession session() {
        return session;
    }

    record Step(float[] params, float loss) {
    }

    float[] predict(float[] params, float[] features, int n, int width) throws OrtException {
        try (OnnxTensor p = vector(params);
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {n, width});
                OrtSession.Result result = session.run(Map.of(MetafedGraphs.PARAMS, p, MetafedGraphs.FEATURES, x))) {
            return floats(result, MetafedGraphs.PREDICTIONS);
        }
    }

    Step step(float[] params, Batch batch, float learningRate) throws OrtException {
        try (OnnxTensor p = vector(params);
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.features()),
                        new long[] {batch.size(), batch.width()});
                OnnxTensor y = vector(batch.ratings());
                OnnxTensor w = vector(batch.weights());
                OnnxTensor lr = OnnxTensor.createTensor(env, learningRate)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(MetafedGraphs.PARAMS, p);
            inputs.put(MetafedGraphs.FEATURES, x);
            inputs.put(MetafedGraphs.RATINGS, y);
            inputs.put(MetafedGraphs.WEIGHTS, w);
            inputs.put(MetafedGraphs.LEARNING_RATE, lr);
            try (OrtSession.Result result = session.run(inputs)) {
                return new Step(floats(result, MetafedGraphs.PARAMS_OUT), floats(result, MetafedGraphs.LOSS)[0]);
            }
        }
    }

    private OnnxTensor vector(float[] values) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {values.length});
    }

    private static float[] floats(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name)
                .orElseThrow(() -> new IllegalStateException("graph produced no output '" + name + "'"));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
