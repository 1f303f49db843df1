package io.metafed.simulation;

import io.metafed.model.Checks;
import io.metafed.model.nn.CollabConfig;

/**
 * The collaborative model's hyperparameters that a simulation may vary: factor width d, the ridge strength λ of
 * the user reconstruction (for p_u and b_u alike), the L2 penalty on item rows, and how many rows the item table
 * has (0: one per catalogue item; else the catalogue is hashed into that many, which bounds every update).
 */
public record CollabSettings(int dim, double lambda, double itemReg, int itemRows) {
    public static final CollabSettings DEFAULT = new CollabSettings(CollabConfig.DEFAULT_DIM,
            CollabConfig.DEFAULT_LAMBDA, CollabConfig.DEFAULT_ITEM_REG, 0);

    public CollabSettings {
        Checks.positive(dim, "dim");
        Checks.positive(lambda, "lambda");
        Checks.inRange(itemReg, 0, 1e6, "itemReg");
        Checks.nonNegative(itemRows, "itemRows");
    }

    /** The legacy content row of width {@code contentWidth}. */
    public CollabConfig config(int[] itemIds, int contentWidth) {
        return new CollabConfig(itemIds, contentWidth, dim, lambda, lambda, itemReg).withItemRows(itemRows);
    }

    /** A content row over {@code content}'s item fields plus the constant column. */
    public CollabConfig config(int[] itemIds, io.metafed.model.features.FeatureSchema content) {
        return CollabConfig.withContent(itemIds, content, dim, lambda, lambda, itemReg).withItemRows(itemRows);
    }
}
