package io.metafed.model.nn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The named, versioned layout of a model's parameters: the shared ones in one flat {@code float[]} θ, and, for
 * a model family with per-user parameters, the private ones in a separate vector that never leaves the device. Aggregation,
 * serialization and secure aggregation treat a model as that vector; this layout says what each range means.
 * MeLU order ({@link ModelConfig}): one embedding table {@code emb.<field>} [size × dim] per field, then for each dense layer
 * {@code fc<i>.weight} [in × out] (row-major, input-major) and {@code fc<i>.bias} [out], then {@code out.weight}
 * [last × 1] and {@code out.bias} [1].
 */
public final class ParamLayout {
    /** Bumped whenever the ordering rules above change. */
    public static final int LAYOUT_VERSION = 1;

    private final ModelSpec spec;
    private final List<TensorSlot> slots;
    private final List<TensorSlot> privateSlots;
    private final int size;
    private final int privateSize;
    private final long id;
    /** Meta-SGD's per-parameter inner learning rates appended to θ ({@link #withInnerRates}); null otherwise. */
    private final ParamLayout model;

    private ParamLayout(ModelSpec spec, List<TensorSlot> slots, List<TensorSlot> privateSlots) {
        this(spec, slots, privateSlots, null);
    }

    private ParamLayout(ModelSpec spec, List<TensorSlot> slots, List<TensorSlot> privateSlots, ParamLayout model) {
        this.model = model;
        this.spec = spec;
        this.slots = Collections.unmodifiableList(slots);
        this.privateSlots = Collections.unmodifiableList(privateSlots);
        this.size = slots.get(slots.size() - 1).end();
        this.privateSize = privateSlots.isEmpty() ? 0 : privateSlots.get(privateSlots.size() - 1).end();
        this.id = hash("layout/v" + LAYOUT_VERSION + ";" + spec.describe() + (model == null ? "" : ";" + INNER_LR));
    }

    /** Slot name of Meta-SGD's inner learning rates α, one per model parameter. */
    public static final String INNER_LR = "inner.lr";

    /**
     * This layout with Meta-SGD's per-parameter inner learning rates α appended as one more shared slot
     * {@value #INNER_LR} [{@link #size()}]: α is meta-learned, aggregated, clipped and checkpointed like θ, so it
     * takes the same path through the coordinator and secure aggregation. The model's runtimes keep working on
     * the first {@link #modelSize()} parameters ({@link #model()}).
     *
     * @throws IllegalStateException for a model with private parameters or a layout that has the rates already
     */
    public ParamLayout withInnerRates() {
        if (model != null) {
            throw new IllegalStateException("layout already has inner learning rates: " + this);
        }
        if (privateSize > 0) {
            throw new IllegalStateException("Meta-SGD's inner learning rates are for models without private"
                    + " parameters; " + spec.family() + " has " + privateSize);
        }
        List<TensorSlot> extended = new ArrayList<>(slots);
        extended.add(new TensorSlot(INNER_LR, new int[] {size}, size));
        return new ParamLayout(spec, extended, privateSlots, this);
    }

    /** Whether θ carries Meta-SGD's inner learning rates after the model's parameters. */
    public boolean hasInnerRates() {
        return model != null;
    }

    /** The model's own parameters: this layout without the inner learning rates (this layout when it has none). */
    public ParamLayout model() {
        return model == null ? this : model;
    }

    /** Number of the model's own parameters (the first ones of θ). */
    public int modelSize() {
        return model().size();
    }

    public static ParamLayout of(ModelSpec spec) {
        if (spec instanceof ModelConfig melu) {
            return of(melu);
        }
        return of((CollabConfig) spec);
    }

    private static ParamLayout meluLayout(ModelConfig config) {
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
        return new ParamLayout(config, list, List.of());
    }

    /**
     * The collaborative model's shared θ: {@code mu} [1], {@code item.bias} [I], {@code item.emb} [I × d],
     * {@code content.bias} [F], {@code content.emb} [F × d], {@code prior} [d + 1] (p₀ then b₀); and its private
     * vector z: {@code user.factors} [d], {@code user.bias} [1]. Private slots are never part of θ.
     */
    public static ParamLayout of(CollabConfig config) {
        int d = config.dim();
        int items = config.items();
        int f = config.contentWidth();
        List<TensorSlot> list = new ArrayList<>();
        list.add(new TensorSlot(MU, new int[] {1}, 0));
        list.add(new TensorSlot(ITEM_BIAS, new int[] {items}, 1));
        list.add(new TensorSlot(ITEM_EMB, new int[] {items, d}, 1 + items));
        list.add(new TensorSlot(CONTENT_BIAS, new int[] {f}, list.get(2).end()));
        list.add(new TensorSlot(CONTENT_EMB, new int[] {f, d}, list.get(3).end()));
        list.add(new TensorSlot(PRIOR, new int[] {d + 1}, list.get(4).end()));
        List<TensorSlot> priv = List.of(new TensorSlot(USER_FACTORS, new int[] {d}, 0),
                new TensorSlot(USER_BIAS, new int[] {1}, d));
        return new ParamLayout(config, list, priv);
    }

    /** Slot names of the collaborative model. */
    public static final String MU = "mu";
    public static final String ITEM_BIAS = "item.bias";
    public static final String ITEM_EMB = "item.emb";
    public static final String CONTENT_BIAS = "content.bias";
    public static final String CONTENT_EMB = "content.emb";
    public static final String PRIOR = "prior";
    public static final String USER_FACTORS = "user.factors";
    public static final String USER_BIAS = "user.bias";

    public static ParamLayout of(ModelConfig config) {
        return meluLayout(config);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The MeLU architecture of this layout. */
    public ModelConfig config() {
        if (spec instanceof ModelConfig melu) {
            return melu;
        }
        throw new IllegalStateException("layout is of model family " + spec.family() + ", not " + ModelConfig.FAMILY);
    }

    /** The collaborative architecture of this layout. */
    public CollabConfig collab() {
        if (spec instanceof CollabConfig collab) {
            return collab;
        }
        throw new IllegalStateException("layout is of model family " + spec.family() + ", not "
                + CollabConfig.FAMILY);
    }

    /** Tensors that live only on the device (never in θ, an update or anything the coordinator sees). */
    public List<TensorSlot> privateSlots() {
        return privateSlots;
    }

    /** Length of the private vector; 0 for a model without private parameters. */
    public int privateSize() {
        return privateSize;
    }

    public List<TensorSlot> slots() {
        return slots;
    }

    /** Number of shared parameters: the length of θ. */
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
        for (TensorSlot s : privateSlots) {
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
        return slots.get(config().schema().fields().size() + 2 * layer);
    }

    public TensorSlot bias(int layer) {
        return slots.get(config().schema().fields().size() + 2 * layer + 1);
    }

    /** Number of dense layers including the output layer. */
    public int denseLayers() {
        return config().hidden().size() + 1;
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
        return "ParamLayout[" + spec.describe() + (model == null ? "" : " + " + INNER_LR) + ", size=" + size + ", private=" + privateSize + ", id=" + Long.toHexString(id) + "]";
    }
}
