package io.metafed.model.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Wraps a graph into a ModelProto with IR version, the default-domain opset import and metadata. */
final class OnnxModelBuilder {
    /** IR version 8 (ONNX 1.10+); every runtime that understands opset 17 reads it. */
    static final long IR_VERSION = 8;
    /** Default-domain opset; 17 keeps ReduceSum's axes as an input and Split's sizes as an input. */
    static final long OPSET_VERSION = 17;

    private final GraphBuilder graph;
    private final String producerName;
    private final String producerVersion;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    OnnxModelBuilder(GraphBuilder graph, String producerName, String producerVersion) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.producerName = Objects.requireNonNull(producerName, "producerName");
        this.producerVersion = Objects.requireNonNull(producerVersion, "producerVersion");
    }

    OnnxModelBuilder metadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (metadata.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException("metadata keys must be distinct, found '" + key + "' twice");
        }
        return this;
    }

    /**
     * ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8
     * (OperatorSetIdProto: domain = 1, version = 2), metadata_props = 14 (StringStringEntryProto: key = 1,
     * value = 2).
     */
    byte[] build() {
        ProtoWriter model = new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, producerName)
                .string(3, producerVersion)
                .message(7, graph.toProto())
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET_VERSION));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }
}
