package io.metafed.microbench;

import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.sdk.runtime.OrtModelRuntime;

/** The two implementations of the model's math that the benchmarks compare. */
public enum Runtimes {
    /** ONNX Runtime, as on a device: {@link OrtModelRuntime} with one intra-op thread. */
    ORT,
    /** The plain-Java {@link ReferenceModel}. */
    JAVA;

    ModelRuntime open(ParamLayout layout) {
        return this == ORT ? new OrtModelRuntime(layout) : new ReferenceModel(layout);
    }

    static void close(ModelRuntime runtime) {
        if (runtime instanceof OrtModelRuntime ort) {
            ort.close();
        }
    }
}
