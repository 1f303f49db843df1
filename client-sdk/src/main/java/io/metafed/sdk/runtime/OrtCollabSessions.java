package io.metafed.sdk.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.CollabGraphs;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The native handles of one {@link OrtCollabRuntime}: its three sessions and its long-lived tensors. */
final class OrtCollabSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrtCollabSessions.class);

    private final OrtSession scoring;
    private final OrtSession ridge;
    private final OrtSession trainStep;
    private final List<OnnxTensor> tensors = new ArrayList<>();

    private OrtCollabSessions(OrtSession scoring, OrtSession ridge, OrtSession trainStep) {
        this.scoring = scoring;
        this.ridge = ridge;
        this.trainStep = trainStep;
    }

    static OrtCollabSessions open(OrtEnvironment env, ParamLayout layout, int intraOpThreads) {
        OrtSession scoring = null;
        OrtSession ridge = null;
        try (OrtSession.SessionOptions options = OrtSessions.options(intraOpThreads)) {
            scoring = env.createSession(CollabGraphs.scoring(layout).bytes(), options);
            ridge = env.createSession(CollabGraphs.ridge(layout).bytes(), options);
            OrtSession train = env.createSession(CollabGraphs.trainStep(layout).bytes(), options);
            LOG.debug("Opened collaborative ONNX Runtime sessions for {} with {} intra-op thread(s)", layout,
                    intraOpThreads);
            return new OrtCollabSessions(scoring, ridge, train);
        } catch (OrtException | RuntimeException e) {
            OrtClose.quietly(scoring);
            OrtClose.quietly(ridge);
            throw new IllegalStateException("Failed to create ONNX Runtime sessions for " + layout, e);
        }
    }

    OrtSession scoring() {
        return scoring;
    }

    OrtSession ridge() {
        return ridge;
    }

    OrtSession trainStep() {
        return trainStep;
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
        OrtClose.quietly(ridge);
        OrtClose.quietly(trainStep);
    }
}
