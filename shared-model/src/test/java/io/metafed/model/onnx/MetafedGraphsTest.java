package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structure of the built graphs: names, declared shapes and metadata as ONNX Runtime reads them. */
class MetafedGraphsTest {
    private static final ParamLayout TINY = ParamLayout.of(TinyModels.tinyConfig());

    @Test
    void scoring_sameLayoutTwice_yieldsIdenticalBytes() {
        assertEquals(MetafedGraphs.scoring(TINY), MetafedGraphs.scoring(TINY));
        assertArrayEquals(MetafedGraphs.adaptationStep(TINY).bytes(), MetafedGraphs.adaptationStep(TINY).bytes());
    }

    @Test
    void bytes_returnedArray_isADefensiveCopy() {
        OnnxGraph graph = MetafedGraphs.scoring(TINY);
        byte[] first = graph.bytes();
        first[0] ^= 1;
        assertNotSame(first, graph.bytes());
        assertTrue(first[0] != graph.bytes()[0], "mutating the returned array must not change the graph");
    }

    @Test
    void adaptationStep_record_listsInputsAndOutputsInOrder() {
        OnnxGraph graph = MetafedGraphs.adaptationStep(TINY);
        assertEquals(GraphKind.ADAPTATION_STEP, graph.kind());
        assertEquals(TINY.id(), graph.layoutId());
        assertEquals(List.of("params", "features", "ratings", "weights", "learning_rate"), graph.inputNames());
        assertEquals(List.of("params_out", "loss"), graph.outputNames());
    }

    @Test
    void scoring_loadedInOrt_declaresSymbolicBatchAndMetadata() throws OrtException {
        OrtHarness.assumeOnnxEnabled();
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.scoring(TINY))) {
            Map<String, NodeInfo> inputs = ort.session().getInputInfo();
            assertEquals(List.of("params", "features"), List.copyOf(inputs.keySet()));
            assertArrayEquals(new long[] {TINY.size()}, shape(inputs.get("params")));
            assertArrayEquals(new long[] {-1, TINY.config().schema().width()}, shape(inputs.get("features")));
            assertEquals("N", ((TensorInfo) inputs.get("features").getInfo()).getDimensionNames()[0]);
            assertArrayEquals(new long[] {-1}, shape(ort.session().getOutputInfo().get("predictions")));
            assertMetadata(ort.session().getMetadata(), "scoring");
        }
    }

    @Test
    void adaptationStep_loadedInOrt_declaresScalarLearningRateAndLoss() throws OrtException {
        OrtHarness.assumeOnnxEnabled();
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.adaptationStep(TINY))) {
            assertArrayEquals(new long[0], shape(ort.session().getInputInfo().get("learning_rate")));
            assertArrayEquals(new long[0], shape(ort.session().getOutputInfo().get("loss")));
            assertArrayEquals(new long[] {TINY.size()}, shape(ort.session().getOutputInfo().get("params_out")));
            assertMetadata(ort.session().getMetadata(), "adaptation_step");
        }
    }

    private static long[] shape(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    private static void assertMetadata(OnnxModelMetadata metadata, String kind) {
        assertEquals("metafed", metadata.getProducerName());
        Map<String, String> custom = metadata.getCustomMetadata();
        assertEquals(String.format("%016x", TINY.id()), custom.get("metafed.layout_id"));
        assertEquals(TINY.config().describe(), custom.get("metafed.layout"));
        assertEquals(kind, custom.get("metafed.graph_kind"));
        assertEquals(Integer.toString(MetafedGraphs.FORMAT_VERSION), custom.get("metafed.format_version"));
    }
}
