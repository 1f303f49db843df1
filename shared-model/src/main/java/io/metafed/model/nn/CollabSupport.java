package io.metafed.model.nn;

/**
 * The entries of a collaborative θ that one client's adaptation can change: every slot whole except the two item
 * tables, and of those only the rows of the client's items. Training on a batch moves μ, the content tower, the
 * batch's item rows and (FedRecon's Reptile step) the prior; nothing else enters the loss, so Δ = φ − θ is exactly
 * zero elsewhere (at the ~97 % of θ that are other users' items).
 */
public final class CollabSupport {
    private CollabSupport() {
    }

    /**
     * The support of Δ for a client whose every batch is drawn from {@code batch} (its encoded ratings): a new slot
     * would be counted whole, so the support errs towards dense.
     *
     * @throws IllegalStateException when {@code layout} is not a collaborative one
     */
    public static Support of(ParamLayout layout, CollabBatch batch) {
        int items = layout.collab().items();
        TensorSlot itemBias = layout.slot(ParamLayout.ITEM_BIAS);
        TensorSlot itemEmb = layout.slot(ParamLayout.ITEM_EMB);
        Support.Builder support = Support.builder(layout.size());
        for (TensorSlot slot : layout.slots()) {
            if (!slot.equals(itemBias) && !slot.equals(itemEmb)) {
                support.add(slot);
            }
        }
        int biasWidth = itemBias.size() / items;
        int embWidth = itemEmb.size() / items;
        for (int row : batch.rows()) {
            if (row >= 0) { // −1: an item outside the catalogue, which only the content tower represents
                support.add(itemBias.offset() + row * biasWidth, itemBias.offset() + (row + 1) * biasWidth);
                support.add(itemEmb.offset() + row * embWidth, itemEmb.offset() + (row + 1) * embWidth);
            }
        }
        return support.build();
    }
}
