package io.metafed.model.nn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The named, versioned layout of all model parameters in one flat {@code float[]}. Aggregation,
 * serialization and secure aggregation treat a model as that vector; this layout says what each range means.
 * Order: one embedding table {@code emb.<field>} [size × dim] per field, then for each dense layer
 * {@code fc<i>.weight} [in × out] (row-major, input-major) and {@code fc<i>.bias} [out], then {@code out.weight}
 * [last × 1] and {@code out.bias} [1].
 */
public final class ParamLayout {
    /** Bumped whenever the ordering rules above change. */
    public static final int LAYOUT_VERSION = 1;

    private final ModelConfig config;
    private final List<TensorSlot> slots;
    private final int size;
    private final long id;

    private ParamLayout(ModelConfig config) {
        this.config = config;
        List<TensorSlot> list = new ArrayList<>();
        int offset = 0;
        int dim = config.embeddingDim();
        for (var field : config.schema().fields()) {
            TensorSlot s = new TensorSlot("emb." + field.name(), new int[] {field.size(), dim}, offset);
            list.add(s);
            offset = s.end();
        }
        int in = config.concatWidth();
        for (int i = 0; i < config.hidden().size(); i++) {
            int out = config.hidden().get(i);
            TensorSlot w = new TensorSlot("fc" + (i + 1) + ".weight", new int[] {in, out}, offset);
            TensorSlot b = new TensorSlot("fc" + (i + 1) + ".bias", new int[] {out}, w.end());
            list.add(w);
            list.add(b);
            offset = b.end();
            in = out;
        }
        TensorSlot w = new TensorSlot("out.weight", new int[] {in, 1}, offset);
        TensorSlot b = new TensorSlot("out.bias", new int[] {1}, w.end());
        list.add(w);
        list.add(b);
        this.slots = Collections.unmodifiableList(list);
        this.size = b.end();
        this.id = hash("layout/v" + LAYOUT_VERSION + ";" + config.describe());
    }

    public static ParamLayout of(ModelConfig config) {
        return new ParamLayout(config);
    }

    public ModelConfig config() {
        return config;
    }

    public List<TensorSlot> slots() {
        return slots;
    }

    /** Total number of parameters. */
    public int size() {
        return size;
    }

    /** Stable 64-bit identity of this layout (first 8 bytes of SHA-256 of its description). */
    public long id() {
        return id;
    }

    public TensorSlot slot(String name) {
        for (TensorSlot s : slots) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("layout has no tensor '" + name + "'");
    }

    public TensorSlot embedding(int field) {
        return slots.get(field);
    }

    /** Dense layer {@code layer} (0-based, the output layer is {@code hidden().size()}): weight slot. */
    public TensorSlot weight(int layer) {
        return slots.get(config.schema().fields().size() + 2 * layer);
    }

    public TensorSlot bias(int layer) {
        return slots.get(config.schema().fields().size() + 2 * layer + 1);
    }

    /** Number of dense layers including the output layer. */
    public int denseLayers() {
        return config.hidden().size() + 1;
    }

    private static long hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "ParamLayout[" + config.describe() + ", size=" + size + ", id=" + Long.toHexString(id) + "]";
    }
}
