package io.metafed.model.onnx;

import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.List;
import java.util.Objects;

/**
 * The ONNX graphs of the {@link CollabConfig collaborative model}, the same math as {@code CollabReference}:
 * scoring, the ridge normal equations of the private reconstruction, and one SGD step on θ with z fixed (backward
 * pass written out as ordinary ops). θ and z are inputs, not initializers, so one graph serves every parameter
 * vector of its layout; the batch size is the symbolic dimension {@value MetafedGraphs#BATCH_DIM}. Batch rows are
 * int64 item-table rows, −1 for an item outside the catalogue (scored by its content alone).
 * <p>
 * The (d+1)×(d+1) ridge solve is left to the caller (a double-precision Cholesky in Java): it costs ~(d+1)³/6
 * flops, the only ONNX op that could do it in-graph is the contrib {@code com.microsoft.Inverse} (absent from
 * reduced mobile builds, and silent where Cholesky reports a non-positive-definite system), and the caller then
 * solves exactly as the reference does.
 */
public final class CollabGraphs {
    public static final String THETA = "theta";
    public static final String Z = "z";
    public static final String ROWS = "rows";
    public static final String CONTENT = "content";
    public static final String RATINGS = MetafedGraphs.RATINGS;
    public static final String WEIGHTS = MetafedGraphs.WEIGHTS;
    public static final String LEARNING_RATE = MetafedGraphs.LEARNING_RATE;
    public static final String PREDICTIONS = MetafedGraphs.PREDICTIONS;
    /** ΦᵀWΦ + Λ, double [d+1, d+1]. */
    public static final String RIDGE_A = "ridge_a";
    /** ΦᵀWt + Λm, double [d+1]. */
    public static final String RIDGE_B = "ridge_b";
    public static final String THETA_OUT = "theta_out";
    /** The loss at the input θ, double []. */
    public static final String LOSS = MetafedGraphs.LOSS;

    private CollabGraphs() {
    }

    /** {@code theta} [P], {@code z} [d+1], {@code rows} int64 [N], {@code content} [N, F] → {@code predictions} [N]. */
    public static OnnxGraph scoring(ParamLayout layout) {
        GraphBuilder g = new GraphBuilder("metafed_collab_scoring");
        CollabOps ops = declare(g, layout, true);
        CollabOps.Items items = ops.items(ROWS, CONTENT);
        g.opNamed("Identity", PREDICTIONS, List.of(ops.predict(items, Z)));
        g.output(PREDICTIONS, GraphBuilder.FLOAT, Dim.symbolic(MetafedGraphs.BATCH_DIM));
        return finish(g, layout, GraphKind.COLLAB_SCORING, List.of(THETA, Z, ROWS, CONTENT), List.of(PREDICTIONS));
    }

    /**
     * {@code theta} [P], {@code rows} int64 [N], {@code content} [N, F], {@code ratings} [N], {@code weights} [N] →
     * {@code ridge_a} = ΦᵀWΦ + Λ [d+1, d+1] and {@code ridge_b} = ΦᵀWt + Λm [d+1], both double, with Φ = [q_i, 1],
     * t = y − μ − b_i, Λ = diag(λ_user·1_d, λ_bias) and m the prior. Φ is built in float like the reference's q_i;
     * the products are summed in double, as the reference does.
     */
    public static OnnxGraph ridge(ParamLayout layout) {
        GraphBuilder g = new GraphBuilder("metafed_collab_ridge");
        CollabOps ops = declare(g, layout, false);
        declareLabels(g);
        CollabConfig c = ops.config();
        int n = c.dim() + 1;
        CollabOps.Items items = ops.items(ROWS, CONTENT);

        // Φ = [q, 1]: pad one column of ones on the right.
        String phi = g.op("Pad", "phi", List.of(items.q(), g.int64s(0, 0, 0, 1), g.scalar(1f)));
        String phi64 = ops.toDouble(phi);
        String w64 = ops.toDouble(WEIGHTS);
        String weighted = g.op("Mul", "w_phi", List.of(phi64, ops.reshape(w64, "w_col", -1, 1)));
        double[] diag = new double[n * n];
        double[] lambda = new double[n];
        for (int k = 0; k < n; k++) {
            lambda[k] = k < c.dim() ? c.lambdaUser() : c.lambdaBias();
            diag[k * n + k] = lambda[k];
        }
        String weightedT = ops.transpose(weighted);
        String gram = ops.matMul(weightedT, phi64, "gram");
        g.opNamed("Add", RIDGE_A, List.of(gram, g.doubles(new long[] {n, n}, diag)));

        String target = g.op("Sub", "target", List.of(
                g.op("Sub", "y_minus_mu", List.of(ops.toDouble(RATINGS), ops.toDouble(ops.mu()))),
                ops.toDouble(items.itemBias())));
        // tᵀ(WΦ) as [1, N]·[N, d+1]: ONNX Runtime 1.29 returned wrong values for Transpose → MatMul with a 1-D
        // right operand in double (its transpose fusion), so the vector goes on the left as a row.
        String moment = ops.reshape(ops.matMul(ops.reshape(target, "target_row", 1, -1), weighted, "moment_row"),
                "moment", -1);
        String pull = g.op("Mul", "prior_pull", List.of(ops.toDouble(ops.prior()), g.doubles(new long[] {n}, lambda)));
        g.opNamed("Add", RIDGE_B, List.of(moment, pull));

        g.output(RIDGE_A, GraphBuilder.DOUBLE, Dim.of(n), Dim.of(n));
        g.output(RIDGE_B, GraphBuilder.DOUBLE, Dim.of(n));
        return finish(g, layout, GraphKind.COLLAB_RIDGE, List.of(THETA, ROWS, CONTENT, RATINGS, WEIGHTS),
                List.of(RIDGE_A, RIDGE_B));
    }

    /**
     * {@code theta} [P], {@code z} [d+1], {@code rows} int64 [N], {@code content} [N, F], {@code ratings} [N],
     * {@code weights} [N], {@code learning_rate} [] → {@code theta_out} [P] = θ − lr·∇_θ loss and {@code loss}
     * (double []) at the input θ. See {@link CollabTrainStep} for the gradient.
     */
    public static OnnxGraph trainStep(ParamLayout layout) {
        GraphBuilder g = new GraphBuilder("metafed_collab_train_step");
        CollabOps ops = declare(g, layout, true);
        declareLabels(g);
        g.input(LEARNING_RATE, GraphBuilder.FLOAT);
        CollabTrainStep.emit(g, ops, layout);
        g.output(THETA_OUT, GraphBuilder.FLOAT, Dim.of(layout.size()));
        g.output(LOSS, GraphBuilder.DOUBLE);
        return finish(g, layout, GraphKind.COLLAB_TRAIN_STEP,
                List.of(THETA, Z, ROWS, CONTENT, RATINGS, WEIGHTS, LEARNING_RATE), List.of(THETA_OUT, LOSS));
    }

    private static CollabOps declare(GraphBuilder g, ParamLayout layout, boolean withZ) {
        Objects.requireNonNull(layout, "layout");
        CollabConfig c = layout.collab();
        g.input(THETA, GraphBuilder.FLOAT, Dim.of(layout.size()));
        if (withZ) {
            g.input(Z, GraphBuilder.FLOAT, Dim.of(c.privateSize()));
        }
        g.input(ROWS, GraphBuilder.INT64, Dim.symbolic(MetafedGraphs.BATCH_DIM));
        g.input(CONTENT, GraphBuilder.FLOAT, Dim.symbolic(MetafedGraphs.BATCH_DIM), Dim.of(c.contentWidth()));
        return new CollabOps(g, layout, THETA);
    }

    private static void declareLabels(GraphBuilder g) {
        g.input(RATINGS, GraphBuilder.FLOAT, Dim.symbolic(MetafedGraphs.BATCH_DIM));
        g.input(WEIGHTS, GraphBuilder.FLOAT, Dim.symbolic(MetafedGraphs.BATCH_DIM));
    }

    private static OnnxGraph finish(GraphBuilder g, ParamLayout layout, GraphKind kind, List<String> inputs,
            List<String> outputs) {
        byte[] bytes = new OnnxModelBuilder(g, MetafedGraphs.PRODUCER, Integer.toString(MetafedGraphs.FORMAT_VERSION))
                .metadata(MetafedGraphs.META_LAYOUT_ID, MetafedGraphs.hex(layout.id()))
                .metadata(MetafedGraphs.META_LAYOUT, layout.spec().describe())
                .metadata(MetafedGraphs.META_GRAPH_KIND, kind.id())
                .metadata(MetafedGraphs.META_FORMAT_VERSION, Integer.toString(MetafedGraphs.FORMAT_VERSION))
                .build();
        return new OnnxGraph(kind, layout.id(), bytes, inputs, outputs);
    }
}
