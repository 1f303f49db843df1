package io.metafed.sdk.runtime;

import ai.onnxruntime.OnnxTensor;
import java.util.ArrayList;
import java.util.List;

/** The per-call tensor wrappers over reused direct buffers; closing releases only the wrappers. */
final class Tensors implements AutoCloseable {
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
