package io.metafed.model.onnx;

import io.metafed.model.Checks;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The collaborative model's FedRecon adaptation of C clients at once, as two ONNX graphs over a client axis
 * (symbolic {@value #CLIENTS}), the math of {@code CollabReference}:
 * <ol>
 *   <li>{@link #ridge}: both ridge systems of every client (on all its ratings, and on its reconstruction half) in
 *       one call, [C, 2, d+1, d+1] and [C, 2, d+1] in double. The caller solves them with the reference's
 *       double-precision Cholesky, C·2 solves of a (d+1)² system, cheap next to building them. An unrolled
 *       in-graph Cholesky was not chosen: (d+1) sequential pivots of tiny ops would cost more graph nodes than the
 *       whole training, and the Java solve reports a non-positive-definite system per client, so one client's bad
 *       system fails that client alone.</li>
 *   <li>{@link #adaptation}: all k SGD steps of every client, unrolled ({@code k} is a graph constant, one graph
 *       per k), with each client's z fixed, and the losses. Rather than a θ-sized φ per client, each client trains
 *       a compact local copy of what its minibatches can touch: its distinct item rows, gathered once from the
 *       resident θ by {@value #ITEM_ROWS} (one flat table of L rows over all clients, L symbolic: every client has
 *       its own rows even where clients share an item), its own content tower [C, F, d], [C, F] and μ [C, 1].
 *       A batch row's ∂ŷ is scatter-added into one scalar per local row (ScatterElements, reduction add, on a 1-D
 *       tensor: duplicates accumulate sequentially in ONNX Runtime's kernel, unlike ScatterND's), from which the
 *       row's gradient follows densely over the local table (∂E = s·p_u + itemReg·E for a penalized row): a
 *       d-wide scatter per batch row cost more than the rest of the step.</li>
 * </ol>
 * Rating rows live in [C, N] tensors (N the group's most ratings, padded with weight 0); a minibatch is given by
 * flat indices c·N + i into them and flat indices into the local item rows, with a validity mask (0 for an item
 * outside the catalogue and for padding) and each row's share of the item penalty (1/multiplicity, as
 * {@link CollabTrainStep} counts it), all computed by the caller from the adaptation plan. Padding rows carry
 * weight, validity and share 0 and are masked with {@code Where} (not multiplied by 0, which keeps a NaN), so they
 * add exact zeros to every sum and every scatter, as the reference skips rows of weight 0.
 */
public final class CollabBatchedGraphs {
    public static final String CLIENTS = "clients";
    public static final String RATING_SLOTS = "rating_slots";
    public static final String LOCAL_ROWS = "local_rows";
    public static final String BATCH = "batch_rows";
    public static final String TRAINING = "training_rows";

    public static final String THETA = CollabGraphs.THETA;
    /** int64 [C, N]: each rating's table row, −1 outside the catalogue or for padding. */
    public static final String ROWS = CollabGraphs.ROWS;
    /** [C, N, F]. */
    public static final String CONTENT = CollabGraphs.CONTENT;
    /** [C, N]. */
    public static final String RATINGS = CollabGraphs.RATINGS;
    /** [C, 2, N]: the weights of the reconstruction on all ratings, then on the reconstruction half (0: left out). */
    public static final String RIDGE_WEIGHTS = "ridge_weights";
    /** double [C, 2, d+1, d+1]. */
    public static final String RIDGE_A = CollabGraphs.RIDGE_A;
    /** double [C, 2, d+1]. */
    public static final String RIDGE_B = CollabGraphs.RIDGE_B;

    /**
     * int64 [L]: the table row each local item row copies, or the number of table rows I for a client's
     * placeholder row (zeros), where its ratings outside the catalogue and its padding point.
     */
    public static final String ITEM_ROWS = "item_rows";
    /** [C, d+1]: the z each client's steps hold fixed. */
    public static final String Z = CollabGraphs.Z;
    /** [C]. */
    public static final String LEARNING_RATE = "learning_rates";
    /** int64 [k, C, B]: flat rating index c·N + i of each minibatch row. */
    public static final String STEP_RATINGS = "step_ratings";
    /** int64 [k, C, B]: flat local item row of each minibatch row (any valid one where invalid). */
    public static final String STEP_LOCAL = "step_local";
    /** [k, C, B]. */
    public static final String STEP_WEIGHTS = "step_weights";
    /** [k, C, B]: 1 where the row has a table row, else 0. */
    public static final String STEP_VALID = "step_valid";
    /** [k, C, B]: the row's share of its item's penalty (for the loss), 0 without a table row or weight. */
    public static final String STEP_SHARE = "step_share";
    /** [k, L]: 1 where step k's batch penalizes the local row (a copy with weight > 0), else 0. */
    public static final String STEP_PENALTY = "step_penalty";
    /** int64 [L]: the client each local item row belongs to. */
    public static final String LOCAL_CLIENT = "local_client";
    /** int64 [C, T]: the training half's flat rating indices, where lossAfter is measured. */
    public static final String FINAL_RATINGS = "final_ratings";
    public static final String FINAL_LOCAL = "final_local";
    public static final String FINAL_WEIGHTS = "final_weights";
    public static final String FINAL_VALID = "final_valid";

    /** [L, d]. */
    public static final String ITEM_EMB_OUT = "item_emb_out";
    /** [L]. */
    public static final String ITEM_BIAS_OUT = "item_bias_out";
    /** [C, 1]. */
    public static final String MU_OUT = "mu_out";
    /** [C, F]. */
    public static final String CONTENT_BIAS_OUT = "content_bias_out";
    /** [C, F, d]. */
    public static final String CONTENT_EMB_OUT = "content_emb_out";
    /** double [C]: the loss (with the item penalty) of the first minibatch before the first step; 0 steps: = after. */
    public static final String LOSS_BEFORE = "loss_before";
    /** double [C]: the weighted mean squared error on the training half after the steps. */
    public static final String LOSS_AFTER = "loss_after";

    private CollabBatchedGraphs() {
    }

    /**
     * {@code theta} [P], {@code rows} int64 [C, N], {@code content} [C, N, F], {@code ratings} [C, N],
     * {@code ridge_weights} [C, 2, N] → {@code ridge_a} [C, 2, d+1, d+1] and {@code ridge_b} [C, 2, d+1] (double):
     * per client and weighting, ΦᵀWΦ + Λ and ΦᵀWt + Λm as {@link CollabGraphs#ridge}.
     */
    public static OnnxGraph ridge(ParamLayout layout) {
        Objects.requireNonNull(layout, "layout");
        CollabConfig c = layout.collab();
        int n = c.dim() + 1;
        int width = c.contentWidth();
        GraphBuilder g = new GraphBuilder("metafed_collab_batched_ridge");
        g.input(THETA, GraphBuilder.FLOAT, Dim.of(layout.size()));
        g.input(ROWS, GraphBuilder.INT64, Dim.symbolic(CLIENTS), Dim.symbolic(RATING_SLOTS));
        g.input(CONTENT, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.symbolic(RATING_SLOTS), Dim.of(width));
        g.input(RATINGS, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.symbolic(RATING_SLOTS));
        g.input(RIDGE_WEIGHTS, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.of(2), Dim.symbolic(RATING_SLOTS));
        CollabOps ops = new CollabOps(g, layout, THETA);
        // The one-client item side over the flattened [C·N] rows.
        CollabOps.Items items = ops.itemRows(ops.reshape(ROWS, "rows_flat", -1),
                ops.reshape(CONTENT, "content_flat", -1, width), ops.itemTable());
        String phi = g.op("Pad", "phi", List.of(items.q(), g.int64s(0, 0, 0, 1), g.scalar(1f)));
        // [C, 1, N, d+1] against the weights [C, 2, N, 1]: both weightings of a client share its Φ.
        String phi64 = g.op("Reshape", "phi_4d", List.of(ops.toDouble(phi), shapeOf(g, ROWS, 1, -1, n)));
        String w64 = ops.reshape(ops.toDouble(RIDGE_WEIGHTS), "w_4d", 0, 0, -1, 1);
        String weighted = g.op("Mul", "w_phi", List.of(phi64, w64));
        String weightedT = g.op("Transpose", "w_phi_t", List.of(weighted), Attribute.ofInts("perm", 0, 1, 3, 2));
        String gram = ops.matMul(weightedT, phi64, "gram");
        double[] diag = new double[n * n];
        double[] lambda = new double[n];
        for (int k = 0; k < n; k++) {
            lambda[k] = k < c.dim() ? c.lambdaUser() : c.lambdaBias();
            diag[k * n + k] = lambda[k];
        }
        g.opNamed("Add", RIDGE_A, List.of(gram, g.doubles(new long[] {n, n}, diag)));
        String target = g.op("Sub", "target", List.of(
                g.op("Sub", "y_minus_mu", List.of(ops.toDouble(ops.reshape(RATINGS, "ratings_flat", -1)),
                        ops.toDouble(ops.mu()))),
                ops.toDouble(items.itemBias())));
        // tᵀ(WΦ) as [C, 1, 1, N]·[C, 2, N, d+1]: the vector on the left as a row, as CollabGraphs.ridge does.
        String targetRow = g.op("Reshape", "target_row", List.of(target, shapeOf(g, ROWS, 1, 1, -1)));
        String moment = ops.reshape(ops.matMul(targetRow, weighted, "moment_row"), "moment", 0, 0, -1);
        String pull = g.op("Mul", "prior_pull", List.of(ops.toDouble(ops.prior()), g.doubles(new long[] {n}, lambda)));
        g.opNamed("Add", RIDGE_B, List.of(moment, pull));
        g.output(RIDGE_A, GraphBuilder.DOUBLE, Dim.symbolic(CLIENTS), Dim.of(2), Dim.of(n), Dim.of(n));
        g.output(RIDGE_B, GraphBuilder.DOUBLE, Dim.symbolic(CLIENTS), Dim.of(2), Dim.of(n));
        return finish(g, layout, GraphKind.COLLAB_BATCHED_RIDGE, List.of(THETA, ROWS, CONTENT, RATINGS, RIDGE_WEIGHTS),
                List.of(RIDGE_A, RIDGE_B));
    }

    /**
     * {@code steps} SGD steps of every client on its local copy, then the training half's loss: inputs
     * {@value #THETA}, {@value #ITEM_ROWS}, {@value #Z}, {@value #LEARNING_RATE}, {@value #CONTENT},
     * {@value #RATINGS}, the five {@code step_*} tensors [k, C, B] (absent for k = 0) and the four {@code final_*}
     * tensors [C, T]; outputs the local copies after the steps and both losses (see the constants).
     */
    public static OnnxGraph adaptation(ParamLayout layout, int steps) {
        Objects.requireNonNull(layout, "layout");
        Checks.nonNegative(steps, "steps");
        CollabConfig c = layout.collab();
        int dim = c.dim();
        int width = c.contentWidth();
        GraphBuilder g = new GraphBuilder("metafed_collab_batched_adaptation_k" + steps);
        List<String> inputs = new ArrayList<>(List.of(THETA, ITEM_ROWS, LOCAL_CLIENT, Z, LEARNING_RATE, CONTENT,
                RATINGS));
        g.input(THETA, GraphBuilder.FLOAT, Dim.of(layout.size()));
        g.input(ITEM_ROWS, GraphBuilder.INT64, Dim.symbolic(LOCAL_ROWS));
        g.input(LOCAL_CLIENT, GraphBuilder.INT64, Dim.symbolic(LOCAL_ROWS));
        g.input(Z, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.of(c.privateSize()));
        g.input(LEARNING_RATE, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS));
        g.input(CONTENT, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.symbolic(RATING_SLOTS), Dim.of(width));
        g.input(RATINGS, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.symbolic(RATING_SLOTS));
        if (steps > 0) {
            for (String name : List.of(STEP_RATINGS, STEP_LOCAL)) {
                g.input(name, GraphBuilder.INT64, Dim.of(steps), Dim.symbolic(CLIENTS), Dim.symbolic(BATCH));
                inputs.add(name);
            }
            for (String name : List.of(STEP_WEIGHTS, STEP_VALID, STEP_SHARE)) {
                g.input(name, GraphBuilder.FLOAT, Dim.of(steps), Dim.symbolic(CLIENTS), Dim.symbolic(BATCH));
                inputs.add(name);
            }
            g.input(STEP_PENALTY, GraphBuilder.FLOAT, Dim.of(steps), Dim.symbolic(LOCAL_ROWS));
            inputs.add(STEP_PENALTY);
        }
        for (String name : List.of(FINAL_RATINGS, FINAL_LOCAL)) {
            g.input(name, GraphBuilder.INT64, Dim.symbolic(CLIENTS), Dim.symbolic(TRAINING));
            inputs.add(name);
        }
        for (String name : List.of(FINAL_WEIGHTS, FINAL_VALID)) {
            g.input(name, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.symbolic(TRAINING));
            inputs.add(name);
        }
        new Adaptation(g, new CollabOps(g, layout, THETA), dim, width, c.itemReg()).emit(steps);
        g.output(ITEM_EMB_OUT, GraphBuilder.FLOAT, Dim.symbolic(LOCAL_ROWS), Dim.of(dim));
        g.output(ITEM_BIAS_OUT, GraphBuilder.FLOAT, Dim.symbolic(LOCAL_ROWS));
        g.output(MU_OUT, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.of(1));
        g.output(CONTENT_BIAS_OUT, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.of(width));
        g.output(CONTENT_EMB_OUT, GraphBuilder.FLOAT, Dim.symbolic(CLIENTS), Dim.of(width), Dim.of(dim));
        g.output(LOSS_BEFORE, GraphBuilder.DOUBLE, Dim.symbolic(CLIENTS));
        g.output(LOSS_AFTER, GraphBuilder.DOUBLE, Dim.symbolic(CLIENTS));
        return finish(g, layout, GraphKind.COLLAB_BATCHED_ADAPTATION, inputs, List.of(ITEM_EMB_OUT, ITEM_BIAS_OUT,
                MU_OUT, CONTENT_BIAS_OUT, CONTENT_EMB_OUT, LOSS_BEFORE, LOSS_AFTER));
    }

    /** The shape [C, a, b, ...] of a tensor whose first dimension is the client axis of {@code clientTensor}. */
    private static String shapeOf(GraphBuilder g, String clientTensor, long... rest) {
        String shape = g.op("Shape", "client_shape", List.of(clientTensor));
        String clients = g.op("Slice", "client_count", List.of(shape, g.int64s(0), g.int64s(1), g.int64s(0)));
        return g.op("Concat", "client_dims", List.of(clients, g.int64s(rest)), Attribute.ofInt("axis", 0));
    }

    /** Emits the unrolled steps; the local state is a set of value names rebound after each step. */
    private static final class Adaptation {
        private final GraphBuilder g;
        private final CollabOps ops;
        private final int dim;
        private final int width;
        private final double reg;
        private final String contentFlat;
        private final String ratingsFlat;
        private final String p;
        private final String pRow;
        private final String pCol;
        private final String bu;
        private final String negLr;
        private final String negLr3;
        private final String localZeros;
        private final String localP;
        private final String localNegLr;
        private final String localNegLrCol;
        private String emb; // [L, d]
        private String bias; // [L]
        private String mu; // [C, 1]
        private String contentBias; // [C, F]
        private String contentEmb; // [C, F, d]

        Adaptation(GraphBuilder g, CollabOps ops, int dim, int width, double reg) {
            this.g = g;
            this.ops = ops;
            this.dim = dim;
            this.width = width;
            this.reg = reg;
            this.contentFlat = ops.reshape(CONTENT, "content_flat", -1, width);
            this.ratingsFlat = ops.reshape(RATINGS, "ratings_flat", -1);
            this.p = g.op("Slice", "p", List.of(Z, g.int64s(0), g.int64s(dim), g.int64s(1)));
            this.bu = g.op("Slice", "b_u", List.of(Z, g.int64s(dim), g.int64s(dim + 1), g.int64s(1)));
            this.pRow = ops.reshape(p, "p_row", 0, 1, dim);
            this.pCol = ops.reshape(p, "p_col", 0, dim, 1);
            this.negLr = ops.reshape(g.op("Neg", "minus_lr", List.of(LEARNING_RATE)), "minus_lr_col", -1, 1);
            this.negLr3 = ops.reshape(negLr, "minus_lr_3d", -1, 1, 1);
            // Per local row: its client's p_u and −lr, and a zero vector to sum its copies' ∂ŷ into.
            this.localZeros = g.op("ConstantOfShape", "local_zeros", List.of(g.op("Shape", "local_count",
                    List.of(LOCAL_CLIENT))));
            this.localP = g.op("Gather", "local_p", List.of(p, LOCAL_CLIENT));
            this.localNegLr = g.op("Gather", "local_minus_lr", List.of(
                    g.op("Neg", "minus_lr_flat", List.of(LEARNING_RATE)), LOCAL_CLIENT));
            this.localNegLrCol = ops.reshape(localNegLr, "local_minus_lr_col", -1, 1);
        }

        void emit(int steps) {
            long itemBias = ops.itemBiasSlot().offset();
            long items = ops.itemBiasSlot().size();
            // The local copies: item rows gathered once from θ (whole rows), with a zero row after the table for
            // each client's placeholder, the dense parts broadcast to every client.
            String embTable = g.op("Concat", "item_table_padded", List.of(ops.itemTable(),
                    g.op("ConstantOfShape", "zero_row", List.of(g.int64s(1, dim)))), Attribute.ofInt("axis", 0));
            String biasTable = g.op("Concat", "item_bias_padded", List.of(g.op("Slice", "item_bias_table",
                    List.of(THETA, g.int64s(itemBias), g.int64s(itemBias + items), g.int64s(0))),
                    g.op("ConstantOfShape", "zero_bias", List.of(g.int64s(1)))), Attribute.ofInt("axis", 0));
            emb = g.op("Gather", "local_emb", List.of(embTable, ITEM_ROWS)); // [L, d]
            bias = g.op("Gather", "local_bias", List.of(biasTable, ITEM_ROWS));
            mu = g.op("Expand", "mu_0", List.of(ops.mu(), shapeOf(g, Z, 1)));
            contentBias = g.op("Expand", "content_bias_0", List.of(ops.contentBias(), shapeOf(g, Z, width)));
            contentEmb = g.op("Expand", "content_emb_0", List.of(ops.contentEmb(), shapeOf(g, Z, width, dim)));

            String lossBefore = null;
            for (int s = 0; s < steps; s++) {
                String index = g.int64Scalar(s);
                String ratings = g.op("Gather", "s_ratings", List.of(STEP_RATINGS, index));
                String local = g.op("Gather", "s_local", List.of(STEP_LOCAL, index));
                String w = g.op("Gather", "s_w", List.of(STEP_WEIGHTS, index));
                String valid = g.op("Gather", "s_valid", List.of(STEP_VALID, index));
                String share = g.op("Gather", "s_share", List.of(STEP_SHARE, index));
                String penalty = g.op("Gather", "s_penalty", List.of(STEP_PENALTY, index));
                String loss = step(ratings, local, w, valid, share, penalty, s == 0);
                if (s == 0) {
                    lossBefore = loss;
                }
            }
            Forward f = forward(FINAL_RATINGS, FINAL_LOCAL, FINAL_VALID);
            String residual64 = g.op("Sub", "f_residual64", List.of(ops.toDouble(f.predicted), ops.toDouble(f.y)));
            String w64 = ops.toDouble(FINAL_WEIGHTS);
            String squares = reduce(g.op("Where", "f_w_sq", List.of(
                    g.op("Greater", "f_weighted", List.of(FINAL_WEIGHTS, g.scalar(0f))),
                    g.op("Mul", "f_w_sq_raw", List.of(g.op("Mul", "f_w_res", List.of(w64, residual64)), residual64)),
                    g.doubles(new long[0], 0))), 0);
            g.opNamed("Div", LOSS_AFTER, List.of(squares, reduce(w64, 0)));
            g.opNamed("Identity", LOSS_BEFORE, List.of(lossBefore == null ? LOSS_AFTER : lossBefore));
            g.opNamed("Identity", ITEM_EMB_OUT, List.of(emb));
            g.opNamed("Identity", ITEM_BIAS_OUT, List.of(bias));
            g.opNamed("Identity", MU_OUT, List.of(mu));
            g.opNamed("Identity", CONTENT_BIAS_OUT, List.of(contentBias));
            g.opNamed("Identity", CONTENT_EMB_OUT, List.of(contentEmb));
        }

        /** ReduceSum over axis 1; keepdims 1 gives [C, 1]. */
        private String reduce(String value, int keepdims) {
            return g.op("ReduceSum", "sum", List.of(value, g.int64s(1)), Attribute.ofInt("keepdims", keepdims));
        }

        private record Forward(String x, String y, String rowVector, String rowBias, String predicted) {
        }

        /** ŷ [C, B] of rows at flat rating indices {@code ratings} and local rows {@code local} under the state. */
        private Forward forward(String ratings, String local, String valid) {
            String x = g.op("Gather", "x", List.of(contentFlat, ratings)); // [C, B, F]
            String y = g.op("Gather", "y_true", List.of(ratingsFlat, ratings));
            // A row outside the catalogue reads its client's placeholder row: zeros, which only ever receive exact
            // zeros (its ∂ŷ is masked by validity, and it is never penalized), so it is scored by content alone.
            String rowVector = g.op("Gather", "row_vector", List.of(emb, local));
            String rowBias = g.op("Gather", "row_bias", List.of(bias, local));
            String q = g.op("Add", "q", List.of(rowVector, ops.matMul(x, contentEmb, "content_vector")));
            String contentSum = ops.reshape(ops.matMul(x, ops.reshape(contentBias, "content_bias_col", 0, -1, 1),
                    "content_bias_sum"), "content_bias_sum_flat", 0, -1);
            String bi = g.op("Add", "b_item", List.of(rowBias, contentSum));
            String dot = ops.reshape(ops.matMul(q, pCol, "user_dot"), "user_dot_flat", 0, -1);
            String base = g.op("Add", "base", List.of(g.op("Add", "mu_bu", List.of(mu, bu)), bi));
            return new Forward(x, y, rowVector, rowBias, g.op("Add", "y_hat", List.of(base, dot)));
        }

        /** One SGD step of every client; returns the loss at the state before it when {@code withLoss}. */
        private String step(String ratings, String local, String w, String valid, String share, String penalty,
                boolean withLoss) {
            Forward f = forward(ratings, local, valid);
            String residual = g.op("Sub", "residual", List.of(f.predicted, f.y));
            String weightSum = reduce(w, 1);
            // Rows of weight 0 (padding) contribute exact zeros, as the reference skips them, even where their
            // prediction is not finite.
            String weighted = g.op("Greater", "weighted", List.of(w, g.scalar(0f)));
            String dy = g.op("Where", "d_y", List.of(weighted, g.op("Div", "d_y_raw", List.of(g.op("Mul",
                    "w_residual_2", List.of(g.op("Mul", "w_residual", List.of(w, residual)), g.scalar(2f))),
                    weightSum)), g.scalar(0f)));
            String dyItem = g.op("Mul", "d_y_item", List.of(dy, valid));
            String gradMu = reduce(dy, 1);
            // Per local row: s = Σ ∂ŷ over its copies in the batch (one scalar scatter), so ∂e = s + reg·pen·e
            // and ∂E = s·p_u + reg·pen·E, with pen 1 for a row the batch penalizes (counted once, as the reference
            // does), applied densely over the local table: no d-wide scatter per batch row.
            String rowSum = g.op("ScatterElements", "row_sum", List.of(localZeros,
                    ops.reshape(local, "local_flat", -1), ops.reshape(dyItem, "d_y_item_flat", -1)),
                    Attribute.ofInt("axis", 0), Attribute.ofString("reduction", "add"));
            String regPenalty = g.op("Mul", "reg_penalty", List.of(penalty, g.scalar((float) reg)));
            String gradBias = g.op("Add", "grad_item_bias", List.of(rowSum,
                    g.op("Mul", "reg_bias", List.of(regPenalty, bias))));
            String gradEmb = g.op("Add", "grad_item_emb", List.of(
                    g.op("Mul", "data_emb", List.of(ops.reshape(rowSum, "row_sum_col", -1, 1), localP)),
                    g.op("Mul", "reg_emb", List.of(ops.reshape(regPenalty, "reg_penalty_col", -1, 1), emb))));
            String dyContent = ops.matMul(ops.reshape(dy, "d_y_row", 0, 1, -1), f.x, "grad_content_bias_row");
            String gradContentBias = ops.reshape(dyContent, "grad_content_bias", 0, -1);
            String gradContentEmb = g.op("Mul", "grad_content_emb", List.of(
                    ops.reshape(dyContent, "d_content_col", 0, -1, 1), pRow));

            String loss = null;
            if (withLoss) {
                String residual64 = ops.toDouble(residual);
                String w64 = ops.toDouble(w);
                String squares = g.op("Where", "w_sq", List.of(weighted, g.op("Mul", "w_sq_raw", List.of(
                        g.op("Mul", "w_res64", List.of(w64, residual64)), residual64)), g.doubles(new long[0], 0)));
                String dataLoss = g.op("Div", "data_loss", List.of(reduce(squares, 0), reduce(w64, 0)));
                String bias64 = ops.toDouble(f.rowBias);
                String vector64 = ops.toDouble(f.rowVector);
                String norms = g.op("Add", "row_norm", List.of(g.op("Mul", "bias_sq", List.of(bias64, bias64)),
                        g.op("ReduceSum", "vector_sq", List.of(g.op("Mul", "vec_sq", List.of(vector64, vector64)),
                                g.int64s(2)), Attribute.ofInt("keepdims", 0))));
                String penaltySum = reduce(g.op("Mul", "shared_norm", List.of(ops.toDouble(share), norms)), 0);
                loss = g.op("Add", "loss_step", List.of(dataLoss, g.op("Mul", "reg_loss",
                        List.of(penaltySum, g.doubles(new long[0], 0.5 * reg)))));
            }

            // θ − lr·∂ on the local copies; a row no batch row touched gets ∂ = +0 and stays as it was.
            emb = g.op("Add", "emb", List.of(emb, g.op("Mul", "emb_step", List.of(gradEmb, localNegLrCol))));
            bias = g.op("Add", "bias", List.of(bias, g.op("Mul", "bias_step", List.of(gradBias, localNegLr))));
            mu = g.op("Add", "mu", List.of(mu, g.op("Mul", "mu_step", List.of(gradMu, negLr))));
            contentBias = g.op("Add", "content_bias", List.of(contentBias,
                    g.op("Mul", "content_bias_step", List.of(gradContentBias, negLr))));
            contentEmb = g.op("Add", "content_emb", List.of(contentEmb,
                    g.op("Mul", "content_emb_step", List.of(gradContentEmb, negLr3))));
            return loss;
        }
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
