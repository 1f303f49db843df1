package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The collaborative graphs are valid ONNX: ONNX Runtime loads them and reads the declared names, types, shapes. */
class CollabGraphsTest {
    private static final ParamLayout LAYOUT = ParamLayout.of(new CollabConfig(new int[] {2, 5, 9}, 6, 3, 1.5, 2.5,
            0.1));

    @Test
    void graphs_sameLayoutTwice_yieldIdenticalBytes() {
        assertEquals(CollabGraphs.scoring(LAYOUT), CollabGraphs.scoring(LAYOUT));
        assertEquals(CollabGraphs.ridge(LAYOUT), CollabGraphs.ridge(LAYOUT));
        assertEquals(CollabGraphs.trainStep(LAYOUT), CollabGraphs.trainStep(LAYOUT));
    }

    @Test
    void graphs_meluLayout_areRefusedNamingTheFamily() {
        ParamLayout melu = ParamLayout.of(TinyModels.tinyConfig());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CollabGraphs.scoring(melu));
        assertTrue(e.getMessage().contains("not collab"), e.getMessage());
    }

    @Test
    void scoring_loadedInOrt_declaresInputsAndSymbolicBatch() throws OrtException {
        OrtHarness.assumeOnnxEnabled();
        OnnxGraph graph = CollabGraphs.scoring(LAYOUT);
        assertEquals(GraphKind.COLLAB_SCORING, graph.kind());
        try (OrtHarness ort = new OrtHarness(graph)) {
            Map<String, NodeInfo> in = ort.session().getInputInfo();
            assertEquals(List.of("theta", "z", "rows", "content"), List.copyOf(in.keySet()));
            assertTensor(in.get("theta"), OnnxJavaType.FLOAT, LAYOUT.size());
            assertTensor(in.get("z"), OnnxJavaType.FLOAT, 4);
            assertTensor(in.get("rows"), OnnxJavaType.INT64, -1);
            assertTensor(in.get("content"), OnnxJavaType.FLOAT, -1, 6);
            assertEquals("N", ((TensorInfo) in.get("rows").getInfo()).getDimensionNames()[0]);
            assertTensor(ort.session().getOutputInfo().get("predictions"), OnnxJavaType.FLOAT, -1);
            assertMetadata(ort, "collab_scoring");
        }
    }

    @Test
    void ridge_loadedInOrt_outputsDoubleNormalEquations() throws OrtException {
        OrtHarness.assumeOnnxEnabled();
        OnnxGraph graph = CollabGraphs.ridge(LAYOUT);
        assertEquals(List.of("theta", "rows", "content", "ratings", "weights"), graph.inputNames());
        try (OrtHarness ort = new OrtHarness(graph)) {
            assertEquals(graph.inputNames(), List.copyOf(ort.session().getInputInfo().keySet()));
            assertTensor(ort.session().getOutputInfo().get("ridge_a"), OnnxJavaType.DOUBLE, 4, 4);
            assertTensor(ort.session().getOutputInfo().get("ridge_b"), OnnxJavaType.DOUBLE, 4);
            assertMetadata(ort, "collab_ridge");
        }
    }

    @Test
    void trainStep_loadedInOrt_declaresScalarLearningRateAndLoss() throws OrtException {
        OrtHarness.assumeOnnxEnabled();
        OnnxGraph graph = CollabGraphs.trainStep(LAYOUT);
        assertEquals(List.of("theta_out", "loss"), graph.outputNames());
        try (OrtHarness ort = new OrtHarness(graph)) {
            assertEquals(graph.inputNames(), List.copyOf(ort.session().getInputInfo().keySet()));
            assertTensor(ort.session().getInputInfo().get("learning_rate"), OnnxJavaType.FLOAT);
            assertTensor(ort.session().getOutputInfo().get("theta_out"), OnnxJavaType.FLOAT, LAYOUT.size());
            assertTensor(ort.session().getOutputInfo().get("loss"), OnnxJavaType.DOUBLE);
            assertMetadata(ort, "collab_train_step");
        }
    }

    private static void assertTensor(NodeInfo info, OnnxJavaType type, long... shape) {
        TensorInfo t = (TensorInfo) info.getInfo();
        assertEquals(type, t.type, info.getName() + " element type");
        assertArrayEquals(shape, t.getShape(), info.getName() + " shape");
    }

    private static void assertMetadata(OrtHarness ort, String kind) throws OrtException {
        Map<String, String> custom = ort.session().getMetadata().getCustomMetadata();
        assertEquals(String.format("%016x", LAYOUT.id()), custom.get("metafed.layout_id"));
        assertEquals(LAYOUT.spec().describe(), custom.get("metafed.layout"));
        assertEquals(kind, custom.get("metafed.graph_kind"));
    }
}
