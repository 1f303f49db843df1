package io.metafed.model.onnx;

import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the model's forward pass and its explicit backward pass as ordinary ONNX ops, mirroring
 * {@code ReferenceModel} equation by equation. Parameter tensors are views of the flat {@code params} input
 * (Slice + Reshape) so one graph serves every parameter vector of the layout.
 */
final class NetworkOps {
    /** Intermediates the backward pass needs: field blocks x_k, activations (z0, h_1..h_L), pre-activations. */
    record Forward(List<String> fieldInputs, List<String> activations, List<String> preActivations,
            String output) {
    }

    private final GraphBuilder g;
    private final ParamLayout layout;
    private final List<String> tensors = new ArrayList<>();

    /** Slices every parameter tensor out of {@code params}, in layout order. */
    NetworkOps(GraphBuilder g, ParamLayout layout, String params) {
        this.g = g;
        this.layout = layout;
        for (TensorSlot s : layout.slots()) {
            String flat = g.op("Slice", s.name(), List.of(params,
                    g.int64s(s.offset()), g.int64s(s.end()), g.int64s(0)));
            tensors.add(s.shape().length == 1 ? flat : reshape(flat, s.name(), s.rows(), s.cols()));
        }
    }

    /** ŷ [N, 1] for {@code features} [N, width]. */
    Forward forward(String features) {
        FeatureSchema schema = layout.config().schema();
        int fields = schema.fields().size();
        long[] sizes = new long[fields];
        for (int k = 0; k < fields; k++) {
            sizes[k] = schema.fields().get(k).size();
        }
        List<String> x = g.opMulti("Split", "x", fields, List.of(features, g.int64s(sizes)),
                Attribute.ofInt("axis", 1));
        List<String> embedded = new ArrayList<>();
        for (int k = 0; k < fields; k++) {
            embedded.add(matMul(x.get(k), tensor(layout.embedding(k)), "e" + k));
        }
        List<String> activations = new ArrayList<>();
        List<String> pre = new ArrayList<>();
        String h = g.op("Concat", "z0", embedded, Attribute.ofInt("axis", 1));
        activations.add(h);
        int last = layout.denseLayers() - 1;
        for (int l = 0; l < last; l++) {
            String a = dense(h, l, "a" + (l + 1));
            pre.add(a);
            h = g.op("Relu", "h" + (l + 1), List.of(a));
            activations.add(h);
        }
        return new Forward(x, activations, pre, dense(h, last, "y"));
    }

    /** d loss / d params [P], flattened in layout order, given {@code dOut} = d loss / d ŷ [N, 1]. */
    String gradient(Forward fw, String dOut) {
        int fields = layout.config().schema().fields().size();
        int last = layout.denseLayers() - 1;
        // Indexed like layout.slots(), so concatenating them yields the flat gradient in layout order.
        String[] grads = new String[layout.slots().size()];
        String delta = dOut;
        for (int l = last; l >= 0; l--) {
            grads[index(layout.weight(l))] = matMul(transpose(fw.activations().get(l)), delta, "grad_w" + l);
            grads[index(layout.bias(l))] = g.op("ReduceSum", "grad_b" + l, List.of(delta, g.int64s(0)),
                    Attribute.ofInt("keepdims", 0));
            delta = matMul(delta, transpose(tensor(layout.weight(l))), "d_in" + l);
            if (l > 0) {
                // ReLU derivative (a > 0), exactly as the reference: zero at the kink.
                String positive = g.op("Greater", "active" + l, List.of(fw.preActivations().get(l - 1),
                        g.scalar(0f)));
                String mask = g.op("Cast", "mask" + l, List.of(positive),
                        Attribute.ofInt("to", GraphBuilder.FLOAT));
                delta = g.op("Mul", "delta" + l, List.of(delta, mask));
            }
        }
        long[] dims = new long[fields];
        Arrays.fill(dims, layout.config().embeddingDim());
        List<String> dz = g.opMulti("Split", "dz", fields, List.of(delta, g.int64s(dims)),
                Attribute.ofInt("axis", 1));
        for (int k = 0; k < fields; k++) {
            grads[index(layout.embedding(k))] = matMul(transpose(fw.fieldInputs().get(k)), dz.get(k), "grad_emb" + k);
        }
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < grads.length; i++) {
            flat.add(layout.slots().get(i).shape().length == 1 ? grads[i] : reshape(grads[i], "grad_flat", -1));
        }
        return g.op("Concat", "grad", flat, Attribute.ofInt("axis", 0));
    }

    String reshape(String value, String hint, long... shape) {
        return g.op("Reshape", hint, List.of(value, g.int64s(shape)));
    }

    private String dense(String h, int layer, String hint) {
        String product = matMul(h, tensor(layout.weight(layer)), hint + "_mm");
        return g.op("Add", hint, List.of(product, tensor(layout.bias(layer))));
    }

    private int index(TensorSlot slot) {
        return layout.slots().indexOf(slot);
    }

    private String tensor(TensorSlot slot) {
        return tensors.get(index(slot));
    }

    private String matMul(String a, String b, String hint) {
        return g.op("MatMul", hint, List.of(a, b));
    }

    private String transpose(String value) {
        return g.op("Transpose", value + "_t", List.of(value), Attribute.ofInts("perm", 1, 0));
    }
}
