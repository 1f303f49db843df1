package io.metafed.sdk.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The native handles of one {@link OrtModelRuntime}: its two sessions and its long-lived tensors. */
final class OrtSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    private final OrtSession scoring;
    private final OrtSession adaptation;
    private final List<OnnxTensor> tensors = new ArrayList<>();

    private OrtSessions(OrtSession scoring, OrtSession adaptation) {
        this.scoring = scoring;
        this.adaptation = adaptation;
    }

    static OrtSessions open(OrtEnvironment env, ParamLayout layout, int intraOpThreads) {
        OrtSession scoring = null;
        try (OrtSession.SessionOptions options = options(intraOpThreads)) {
            scoring = env.createSession(MetafedGraphs.scoring(layout).bytes(), options);
            OrtSession adaptation = env.createSession(MetafedGraphs.adaptationStep(layout).bytes(), options);
            LOG.debug("Opened ONNX Runtime sessions for {} with {} intra-op thread(s)", layout, intraOpThreads);
            return new OrtSessions(scoring, adaptation);
        } catch (OrtException | RuntimeException e) {
            OrtClose.quietly(scoring);
            throw new IllegalStateException("Failed to create ONNX Runtime sessions for " + layout, e);
        }
    }

    static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            // One graph, executed node by node: an inter-op pool would only cost threads on a phone.
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            // Idle pool threads sleep instead of spinning: battery matters more than microseconds here.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // Batch sizes vary from call to call; memory patterns only pay off for fixed shapes.
            options.setMemoryPatternOptimization(false);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    OrtSession scoring() {
        return scoring;
    }

    OrtSession adaptation() {
        return adaptation;
    }

    /** Registers a tensor to be closed with the sessions. */
    OnnxTensor track(OnnxTensor tensor) {
        tensors.add(tensor);
        return tensor;
    }

    @Override
    public void close() {
        tensors.forEach(OnnxTensor::close);
        tensors.clear();
        OrtClose.quietly(scoring);
        OrtClose.quietly(adaptation);
    }
}
