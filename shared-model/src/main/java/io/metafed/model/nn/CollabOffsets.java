package io.metafed.model.nn;

/**
 * Where each shared slot of a {@link ParamLayout#of(CollabConfig) collaborative θ} starts: the six offsets every
 * Java-side pass over θ (the reference, the batched runtime's Δ) indexes by, looked up once by name instead of six
 * {@code layout.slot(…).offset()} calls per user. Item rows are {@code itemBias + row} and
 * {@code itemEmb + row · d}; the content tower's are {@code contentBias + f} and {@code contentEmb + f · d}.
 */
public record CollabOffsets(int mu, int itemBias, int itemEmb, int contentBias, int contentEmb, int prior) {
    public CollabOffsets {
        if (mu < 0 || itemBias < 0 || itemEmb < 0 || contentBias < 0 || contentEmb < 0 || prior < 0) {
            throw new IllegalArgumentException("offsets must be >= 0, found mu " + mu + ", itemBias " + itemBias
                    + ", itemEmb " + itemEmb + ", contentBias " + contentBias + ", contentEmb " + contentEmb
                    + ", prior " + prior);
        }
    }

    /**
     * The offsets of {@code layout}'s collaborative slots.
     *
     * @throws IllegalStateException when {@code layout} is not of the collaborative family
     */
    public static CollabOffsets of(ParamLayout layout) {
        layout.collab(); // the family check, with its message, before a slot lookup fails less clearly
        return new CollabOffsets(layout.slot(ParamLayout.MU).offset(), layout.slot(ParamLayout.ITEM_BIAS).offset(),
                layout.slot(ParamLayout.ITEM_EMB).offset(), layout.slot(ParamLayout.CONTENT_BIAS).offset(),
                layout.slot(ParamLayout.CONTENT_EMB).offset(), layout.slot(ParamLayout.PRIOR).offset());
    }
}
