package io.metafed.sdk.transport;

import io.metafed.model.format.Weights;
import io.metafed.model.protocol.Protocol;
import java.util.Optional;

/** The version of a downloaded model, from its response header and its weight-file metadata. */
final class ModelVersions {
    private ModelVersions() {
    }

    /**
     * The version both sources state; one is enough, but when both are present they must agree, so a proxy
     * that mixes up headers and bodies cannot make a device adapt the wrong model under the right number.
     */
    static long of(Optional<String> header, Weights weights, int status) {
        Optional<String> meta = Optional.ofNullable(weights.metadata().get(Protocol.META_MODEL_VERSION));
        if (header.isEmpty() && meta.isEmpty()) {
            throw TransportException.badResponse(status, "global model must state its version in header "
                    + Protocol.MODEL_VERSION_HEADER + " or metadata '" + Protocol.META_MODEL_VERSION
                    + "', found neither", null);
        }
        long fromHeader = header.map(v -> parse(v, "header " + Protocol.MODEL_VERSION_HEADER, status)).orElse(-1L);
        long fromMeta = meta.map(v -> parse(v, "metadata '" + Protocol.META_MODEL_VERSION + "'", status)).orElse(-1L);
        if (fromHeader >= 0 && fromMeta >= 0 && fromHeader != fromMeta) {
            throw TransportException.badResponse(status, "global model version in header "
                    + Protocol.MODEL_VERSION_HEADER + " (" + fromHeader + ") must equal metadata '"
                    + Protocol.META_MODEL_VERSION + "' (" + fromMeta + ")", null);
        }
        return fromHeader >= 0 ? fromHeader : fromMeta;
    }

    private static long parse(String value, String source, int status) {
        try {
            long version = Long.parseLong(value.trim());
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below with the offending value
        }
        throw TransportException.badResponse(status, "global model " + source
                + " must be an integer >= 0, found '" + value + "'", null);
    }
}
