package io.metafed.model.onnx;

import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import java.util.List;

/**
 * Emits the collaborative model's item side (q_i, b_i) and the pieces its three graphs share, mirroring
 * {@code CollabReference}. The item tables are never sliced out of θ: a batch row's item bias and item vector are
 * gathered straight from the flat θ at computed offsets, so a graph touches O(batch) of the I·(d+1) table entries
 * and makes no copy of the tables. A row of −1 (an item outside the catalogue) gathers row 0 and is multiplied by a
 * 0 mask, so it is scored by its content alone.
 */
final class CollabOps {
    /** Per-batch-row values of the forward pass the gradient needs. */
    record Items(String valid, String clampedRows, String biasIndex, String embIndex, String rowBias,
            String rowVector, String q, String itemBias) {
    }

    private final GraphBuilder g;
    private final CollabConfig config;
    private final int dim;
    private final int width;
    private final TensorSlot itemBias;
    private final TensorSlot itemEmb;
    private final TensorSlot contentBias;
    private final TensorSlot contentEmb;
    private final TensorSlot prior;
    private final String theta;
    private final String mu;
    private final String contentBiasTensor;
    private final String contentEmbTensor;

    /** Slices the small dense tensors (μ, the content tower) out of {@code theta}. */
    CollabOps(GraphBuilder g, ParamLayout layout, String theta) {
        this.g = g;
        this.config = layout.collab();
        this.dim = config.dim();
        this.width = config.contentWidth();
        this.theta = theta;
        this.itemBias = layout.slot(ParamLayout.ITEM_BIAS);
        this.itemEmb = layout.slot(ParamLayout.ITEM_EMB);
        this.contentBias = layout.slot(ParamLayout.CONTENT_BIAS);
        this.contentEmb = layout.slot(ParamLayout.CONTENT_EMB);
        this.prior = layout.slot(ParamLayout.PRIOR);
        this.mu = slice(layout.slot(ParamLayout.MU), "mu");
        this.contentBiasTensor = slice(contentBias, "content_bias");
        this.contentEmbTensor = reshape(slice(contentEmb, "content_emb_flat"), "content_emb", width, dim);
    }

    /** μ, shape [1]. */
    String mu() {
        return mu;
    }

    /** The prior m = [p₀, b₀], shape [d + 1]. */
    String prior() {
        return slice(prior, "prior");
    }

    /** q_i [N, d] and b_i [N] of every batch row; {@code rows} int64 [N], {@code content} [N, F]. */
    Items items(String rows, String content) {
        String zero = g.int64s(0);
        String valid = g.op("Cast", "item_valid", List.of(g.op("GreaterOrEqual", "item_known", List.of(rows, zero))),
                Attribute.ofInt("to", GraphBuilder.FLOAT));
        String clamped = g.op("Max", "row_clamped", List.of(rows, zero));
        String biasIndex = g.op("Add", "bias_index", List.of(clamped, g.int64s(itemBias.offset())));
        // Offsets of E[row, k] in θ: itemEmb + row·d + k, broadcast [N, 1] against [d].
        long[] columns = new long[dim];
        for (int k = 0; k < dim; k++) {
            columns[k] = itemEmb.offset() + k;
        }
        String rowStart = g.op("Mul", "emb_row_start", List.of(reshape(clamped, "row_col", -1, 1), g.int64s(dim)));
        String embIndex = g.op("Add", "emb_index", List.of(rowStart, g.int64s(columns)));
        String validCol = reshape(valid, "item_valid_col", -1, 1);
        String rowBias = g.op("Mul", "row_bias", List.of(
                g.op("Gather", "row_bias_raw", List.of(theta, biasIndex)), valid));
        String rowVector = g.op("Mul", "row_vector", List.of(
                g.op("Gather", "row_vector_raw", List.of(theta, embIndex)), validCol));
        String q = g.op("Add", "q", List.of(rowVector, matMul(content, contentEmbTensor, "content_vector")));
        String bi = g.op("Add", "b_item", List.of(rowBias, matMul(content, contentBiasTensor, "content_bias_sum")));
        return new Items(valid, clamped, biasIndex, embIndex, rowBias, rowVector, q, bi);
    }

    /** E as a [I, d] table: one contiguous copy out of θ, from which whole rows are gathered. */
    String itemTable() {
        return reshape(slice(itemEmb, "item_emb_flat"), "item_table", -1, dim);
    }

    /**
     * {@link #items} for many rows at once (a group of clients): item vectors are gathered as whole rows of
     * {@code table} ({@link #itemTable}) rather than entry by entry from θ, which is cheaper once the batch touches
     * a good part of the table. Only {@link Items#valid}, {@link Items#q} and {@link Items#itemBias} are set.
     */
    Items itemRows(String rows, String content, String table) {
        String zero = g.int64s(0);
        String valid = g.op("Cast", "item_valid", List.of(g.op("GreaterOrEqual", "item_known", List.of(rows, zero))),
                Attribute.ofInt("to", GraphBuilder.FLOAT));
        String clamped = g.op("Max", "row_clamped", List.of(rows, zero));
        String biasIndex = g.op("Add", "bias_index", List.of(clamped, g.int64s(itemBias.offset())));
        String rowBias = g.op("Mul", "row_bias", List.of(
                g.op("Gather", "row_bias_raw", List.of(theta, biasIndex)), valid));
        String rowVector = g.op("Mul", "row_vector", List.of(g.op("Gather", "row_vector_raw", List.of(table, clamped)),
                reshape(valid, "item_valid_col", -1, 1)));
        String q = g.op("Add", "q", List.of(rowVector, matMul(content, contentEmbTensor, "content_vector")));
        String bi = g.op("Add", "b_item", List.of(rowBias, matMul(content, contentBiasTensor, "content_bias_sum")));
        return new Items(valid, clamped, biasIndex, null, rowBias, rowVector, q, bi);
    }

    /** ŷ = μ + b_i + b_u + ⟨p_u, q_i⟩ [N] for the private vector {@code z} [d + 1]. */
    String predict(Items items, String z) {
        String p = userFactors(z);
        String bu = g.op("Slice", "user_bias", List.of(z, g.int64s(dim), g.int64s(dim + 1), g.int64s(0)));
        String dot = matMul(items.q(), p, "user_dot");
        String base = g.op("Add", "base", List.of(g.op("Add", "mu_bu", List.of(mu, bu)), items.itemBias()));
        return g.op("Add", "y", List.of(base, dot));
    }

    /** p_u [d], the first d entries of {@code z}. */
    String userFactors(String z) {
        return g.op("Slice", "user_factors", List.of(z, g.int64s(0), g.int64s(dim), g.int64s(0)));
    }

    String matMul(String a, String b, String hint) {
        return g.op("MatMul", hint, List.of(a, b));
    }

    String reshape(String value, String hint, long... shape) {
        return g.op("Reshape", hint, List.of(value, g.int64s(shape)));
    }

    String transpose(String value) {
        return g.op("Transpose", value + "_t", List.of(value), Attribute.ofInts("perm", 1, 0));
    }

    String toDouble(String value) {
        return g.op("Cast", value + "_f64", List.of(value), Attribute.ofInt("to", GraphBuilder.DOUBLE));
    }

    /** Offsets in θ of every element of {@code slot}, in order: the targets of its dense gradient. */
    String offsets(TensorSlot slot) {
        long[] index = new long[slot.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = slot.offset() + (long) i;
        }
        return g.int64s(index);
    }

    /** c [F], the content tower's bias. */
    String contentBias() {
        return contentBiasTensor;
    }

    /** C [F, d], the content tower's vectors. */
    String contentEmb() {
        return contentEmbTensor;
    }

    TensorSlot itemBiasSlot() {
        return itemBias;
    }

    TensorSlot itemEmbSlot() {
        return itemEmb;
    }

    CollabConfig config() {
        return config;
    }

    TensorSlot contentBiasSlot() {
        return contentBias;
    }

    TensorSlot contentEmbSlot() {
        return contentEmb;
    }

    private String slice(TensorSlot s, String hint) {
        return g.op("Slice", hint, List.of(theta, g.int64s(s.offset()), g.int64s(s.end()), g.int64s(0)));
    }
}
