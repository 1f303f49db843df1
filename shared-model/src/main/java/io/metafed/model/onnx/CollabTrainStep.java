package io.metafed.model.onnx;

import static io.metafed.model.onnx.CollabGraphs.CONTENT;
import static io.metafed.model.onnx.CollabGraphs.LEARNING_RATE;
import static io.metafed.model.onnx.CollabGraphs.LOSS;
import static io.metafed.model.onnx.CollabGraphs.RATINGS;
import static io.metafed.model.onnx.CollabGraphs.ROWS;
import static io.metafed.model.onnx.CollabGraphs.THETA;
import static io.metafed.model.onnx.CollabGraphs.THETA_OUT;
import static io.metafed.model.onnx.CollabGraphs.WEIGHTS;
import static io.metafed.model.onnx.CollabGraphs.Z;

import io.metafed.model.nn.ParamLayout;
import java.util.List;

/**
 * The forward and explicit backward pass of one SGD step of the collaborative model on θ (z fixed):
 * <pre>
 *   loss = Σ w (ŷ − y)² / Σw + ½ · itemReg · Σ_{distinct rows j with w > 0} (e_j² + ‖E_j‖²)
 *   g    = 2 w (ŷ − y) / Σw                        per batch row
 *   ∂μ = Σ g   ∂e_j += g   ∂E_j += g·p_u   ∂c = Xᵀg   ∂C = (Xᵀg) p_uᵀ
 * </pre>
 * Every gradient entry is scatter-added, times −lr, into a copy of θ by one {@code ScatterElements(reduction=add)}
 * over the flat vector, so the step makes exactly one θ-sized tensor (the output) and never materializes a dense
 * gradient. The regularizer counts each distinct touched row once although a row may repeat in the batch: each
 * copy of a row carries 1/multiplicity of the penalty, multiplicities counted by a scatter-add over the item table.
 * ScatterElements on a 1-D tensor is one work unit in ONNX Runtime's CPU kernel, so duplicate targets accumulate
 * sequentially even with several intra-op threads (ScatterND's reduction runs its updates in parallel and is not
 * safe with duplicates).
 */
final class CollabTrainStep {
    private CollabTrainStep() {
    }

    static void emit(GraphBuilder g, CollabOps ops, ParamLayout layout) {
        double reg = ops.config().itemReg();
        CollabOps.Items items = ops.items(ROWS, CONTENT);
        String predicted = ops.predict(items, Z);
        String residual = g.op("Sub", "residual", List.of(predicted, RATINGS));
        String weightedResidual = g.op("Mul", "w_residual", List.of(WEIGHTS, residual));
        String weightSum = g.op("ReduceSum", "weight_sum", List.of(WEIGHTS), Attribute.ofInt("keepdims", 0));

        // Loss in double, like the reference's accumulation.
        String residual64 = ops.toDouble(residual);
        String weights64 = ops.toDouble(WEIGHTS);
        String squares = g.op("ReduceSum", "w_sq_sum", List.of(g.op("Mul", "w_sq", List.of(
                g.op("Mul", "w_res64", List.of(weights64, residual64)), residual64))), Attribute.ofInt("keepdims", 0));
        String dataLoss = g.op("Div", "data_loss", List.of(squares,
                g.op("ReduceSum", "weight_sum64", List.of(weights64), Attribute.ofInt("keepdims", 0))));

        // d loss / d ŷ per row; rows of weight 0 get 0.
        String dy = g.op("Div", "d_y", List.of(g.op("Mul", "w_residual_2", List.of(weightedResidual, g.scalar(2f))),
                weightSum));
        String dyItem = g.op("Mul", "d_y_item", List.of(dy, items.valid()));
        String gradMu = g.op("ReduceSum", "grad_mu", List.of(dy, g.int64s(0)), Attribute.ofInt("keepdims", 1));

        // Share of the item penalty per batch row: 1/multiplicity among rows with a table row and weight > 0.
        String positive = g.op("Cast", "w_positive", List.of(g.op("Greater", "w_gt0", List.of(WEIGHTS, g.scalar(0f)))),
                Attribute.ofInt("to", GraphBuilder.FLOAT));
        String penalized = g.op("Mul", "penalized", List.of(items.valid(), positive));
        String zeros = g.op("ConstantOfShape", "row_zeros", List.of(g.int64s(ops.config().items())));
        String counts = g.op("ScatterElements", "row_counts", List.of(zeros, items.clampedRows(), penalized),
                Attribute.ofInt("axis", 0), Attribute.ofString("reduction", "add"));
        String multiplicity = g.op("Max", "multiplicity", List.of(
                g.op("Gather", "row_count", List.of(counts, items.clampedRows())), g.scalar(1f)));
        String share = g.op("Div", "penalty_share", List.of(penalized, multiplicity));
        String regShare = g.op("Mul", "reg_share", List.of(share, g.scalar((float) reg)));

        String p = ops.userFactors(Z);
        String pRow = ops.reshape(p, "p_row", 1, -1);
        String gradBias = g.op("Add", "grad_item_bias", List.of(dyItem,
                g.op("Mul", "reg_bias", List.of(regShare, items.rowBias()))));
        String gradEmb = g.op("Add", "grad_item_emb", List.of(
                g.op("Mul", "data_emb", List.of(ops.reshape(dyItem, "d_y_item_col", -1, 1), pRow)),
                g.op("Mul", "reg_emb", List.of(ops.reshape(regShare, "reg_share_col", -1, 1), items.rowVector()))));
        String dyContent = ops.matMul(ops.reshape(dy, "d_y_row", 1, -1), CONTENT, "grad_content_bias_row");
        String gradContentBias = ops.reshape(dyContent, "grad_content_bias", -1);
        String gradContentEmb = ops.matMul(ops.reshape(dyContent, "d_content_col", -1, 1), pRow, "grad_content_emb");

        // ½·reg·Σ share·(e² + ‖E‖²), in double.
        String bias64 = ops.toDouble(items.rowBias());
        String vector64 = ops.toDouble(items.rowVector());
        String norms = g.op("Add", "row_norm", List.of(g.op("Mul", "bias_sq", List.of(bias64, bias64)),
                g.op("ReduceSum", "vector_sq", List.of(g.op("Mul", "vec_sq", List.of(vector64, vector64)),
                        g.int64s(1)), Attribute.ofInt("keepdims", 0))));
        String penalty = g.op("ReduceSum", "penalty_sum", List.of(g.op("Mul", "shared_norm", List.of(
                ops.toDouble(share), norms))), Attribute.ofInt("keepdims", 0));
        String regLoss = g.op("Mul", "reg_loss", List.of(penalty, g.doubles(new long[0], 0.5 * reg)));
        g.opNamed("Add", LOSS, List.of(dataLoss, regLoss));

        String gradients = g.op("Concat", "grad_entries", List.of(gradMu, gradBias,
                ops.reshape(gradEmb, "grad_item_emb_flat", -1), gradContentBias,
                ops.reshape(gradContentEmb, "grad_content_emb_flat", -1)), Attribute.ofInt("axis", 0));
        String targets = g.op("Concat", "grad_targets", List.of(
                g.int64s(layout.slot(ParamLayout.MU).offset()), items.biasIndex(),
                ops.reshape(items.embIndex(), "emb_index_flat", -1), ops.offsets(ops.contentBiasSlot()),
                ops.offsets(ops.contentEmbSlot())), Attribute.ofInt("axis", 0));
        String step = g.op("Mul", "step", List.of(gradients, g.op("Neg", "minus_lr", List.of(LEARNING_RATE))));
        g.opNamed("ScatterElements", THETA_OUT, List.of(THETA, targets, step), Attribute.ofInt("axis", 0),
                Attribute.ofString("reduction", "add"));
    }
}
