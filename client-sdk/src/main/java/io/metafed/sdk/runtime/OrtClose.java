package io.metafed.sdk.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing ONNX Runtime sessions on the way out, where a failure to close must not hide what is being reported. */
final class OrtClose {
    private static final Logger LOG = LoggerFactory.getLogger(OrtClose.class);

    private OrtClose() {
    }

    /** Closes {@code session} (null: nothing to close); a failure is logged, not thrown. */
    static void quietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("Closing an ONNX Runtime session failed", e);
            }
        }
    }
}
