package io.metafed.model.onnx;

import io.metafed.model.nn.ParamLayout;
import java.util.List;
import java.util.Objects;

/**
 * Builds the ONNX graphs that run the Metafed model on devices: scoring and one step of local adaptation
 * (SGD on the weighted MSE), the latter with its backward pass written out as ordinary ops because the
 * desktop ONNX Runtime has no training API. Parameters are an input, not initializers, so one graph serves
 * every parameter vector of its layout; the batch size is the symbolic dimension {@value #BATCH_DIM}.
 */
public final class MetafedGraphs {
    public static final long IR_VERSION = OnnxModelBuilder.IR_VERSION;
    public static final long OPSET_VERSION = OnnxModelBuilder.OPSET_VERSION;
    /** Bumped whenever graph inputs, outputs or semantics change. */
    public static final int FORMAT_VERSION = 1;
    public static final String PRODUCER = "metafed";
    public static final String BATCH_DIM = "N";

    public static final String PARAMS = "params";
    public static final String FEATURES = "features";
    public static final String RATINGS = "ratings";
    public static final String WEIGHTS = "weights";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String PREDICTIONS = "predictions";
    public static final String PARAMS_OUT = "params_out";
    public static final String LOSS = "loss";

    /** Metadata keys (ModelProto.metadata_props). */
    public static final String META_LAYOUT_ID = "metafed.layout_id";
    public static final String META_LAYOUT = "metafed.layout";
    public static final String META_GRAPH_KIND = "metafed.graph_kind";
    public static final String META_FORMAT_VERSION = "metafed.format_version";

    private MetafedGraphs() {
    }

    /** {@code params} [P], {@code features} [N, width] → {@code predictions} [N]. */
    public static OnnxGraph scoring(ParamLayout layout) {
        GraphBuilder g = new GraphBuilder("metafed_scoring");
        NetworkOps net = declareParamsAndFeatures(g, layout);
        NetworkOps.Forward fw = net.forward(FEATURES);
        g.opNamed("Reshape", PREDICTIONS, List.of(fw.output(), g.int64s(-1)));
        g.output(PREDICTIONS, GraphBuilder.FLOAT, Dim.symbolic(BATCH_DIM));
        return finish(g, layout, GraphKind.SCORING, List.of(PARAMS, FEATURES), List.of(PREDICTIONS));
    }

    /**
     * {@code params} [P], {@code features} [N, width], {@code ratings} [N], {@code weights} [N],
     * {@code learning_rate} [] → {@code params_out} [P] = params − lr·∇loss and {@code loss} [], the weighted
     * MSE Σw(ŷ−y)²/Σw at the input params. Rows of weight 0 are padding and do not contribute.
     */
    public static OnnxGraph adaptationStep(ParamLayout layout) {
        GraphBuilder g = new GraphBuilder("metafed_adaptation_step");
        NetworkOps net = declareParamsAndFeatures(g, layout);
        g.input(RATINGS, GraphBuilder.FLOAT, Dim.symbolic(BATCH_DIM));
        g.input(WEIGHTS, GraphBuilder.FLOAT, Dim.symbolic(BATCH_DIM));
        g.input(LEARNING_RATE, GraphBuilder.FLOAT);
        NetworkOps.Forward fw = net.forward(FEATURES);

        String predicted = net.reshape(fw.output(), "y_flat", -1);
        String residual = g.op("Sub", "residual", List.of(predicted, RATINGS));
        String weighted = g.op("Mul", "w_residual", List.of(WEIGHTS, residual));
        String weightSum = g.op("ReduceSum", "weight_sum", List.of(WEIGHTS), Attribute.ofInt("keepdims", 0));
        String squares = g.op("ReduceSum", "w_sq_sum", List.of(g.op("Mul", "w_sq", List.of(weighted, residual))),
                Attribute.ofInt("keepdims", 0));
        g.opNamed("Div", LOSS, List.of(squares, weightSum));
        // d loss / d ŷ = 2·w·(ŷ − y) / Σw, as a column for the backward MatMuls.
        String dOut = g.op("Div", "d_y", List.of(g.op("Mul", "w_residual_2", List.of(weighted, g.scalar(2f))),
                weightSum));
        String grad = net.gradient(fw, net.reshape(dOut, "d_y_col", -1, 1));
        String step = g.op("Mul", "step", List.of(LEARNING_RATE, grad));
        g.opNamed("Sub", PARAMS_OUT, List.of(PARAMS, step));

        g.output(PARAMS_OUT, GraphBuilder.FLOAT, Dim.of(layout.size()));
        g.output(LOSS, GraphBuilder.FLOAT);
        return finish(g, layout, GraphKind.ADAPTATION_STEP,
                List.of(PARAMS, FEATURES, RATINGS, WEIGHTS, LEARNING_RATE), List.of(PARAMS_OUT, LOSS));
    }

    /** The layout id as it appears in {@value #META_LAYOUT_ID}: 16 lower-case hex digits. */
    public static String hex(long layoutId) {
        return String.format("%016x", layoutId);
    }

    private static NetworkOps declareParamsAndFeatures(GraphBuilder g, ParamLayout layout) {
        Objects.requireNonNull(layout, "layout");
        g.input(PARAMS, GraphBuilder.FLOAT, Dim.of(layout.size()));
        g.input(FEATURES, GraphBuilder.FLOAT, Dim.symbolic(BATCH_DIM), Dim.of(layout.config().schema().width()));
        return new NetworkOps(g, layout, PARAMS);
    }

    private static OnnxGraph finish(GraphBuilder g, ParamLayout layout, GraphKind kind, List<String> inputs,
            List<String> outputs) {
        byte[] bytes = new OnnxModelBuilder(g, PRODUCER, Integer.toString(FORMAT_VERSION))
                .metadata(META_LAYOUT_ID, hex(layout.id()))
                .metadata(META_LAYOUT, layout.config().describe())
                .metadata(META_GRAPH_KIND, kind.id())
                .metadata(META_FORMAT_VERSION, Integer.toString(FORMAT_VERSION))
                .build();
        return new OnnxGraph(kind, layout.id(), bytes, inputs, outputs);
    }
}
