package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Architecture of the collaborative cold-start model (family {@code collab}):
 * <pre>
 *   r̂(u, i) = μ + b_i + b_u + ⟨p_u, q_i⟩
 *   q_i = E[row(i)] + Σ_f x_if · C[f]        b_i = e[row(i)] + Σ_f x_if · c[f]
 * </pre>
 * E, e are an item-ID embedding and bias (one row per catalogue item, {@link #itemIds} in ascending order); C, c a
 * linear content tower over the item's attribute row x_i ({@link CollabFeatures}), so an item that no one rated in
 * training still has a vector and a bias. The user's z_u = [p_u, b_u] is <b>private</b>: it is never part of θ and
 * is reconstructed on the device from the user's own ratings by a ridge solve toward a shared prior m = [p₀, b₀]:
 * <pre>
 *   z_u = argmin Σ w (r − μ − b_i − b_u − ⟨p_u, q_i⟩)² + λ_user ‖p_u − p₀‖² + λ_bias (b_u − b₀)²
 * </pre>
 * {@code itemReg} is the L2 penalty (½·itemReg·‖row‖²) on the item rows a training batch touches.
 * <p>
 * {@code content} is the schema of the item columns of x_i (genres, year buckets fitted to the catalogue, the
 * dataset's categorical item attributes; see {@link io.metafed.model.features.FeatureSchema#itemFields()}), followed
 * by one constant column; every device encodes items with it, so it is part of the layout. Null: the legacy content
 * row of MovieLens-100K-shaped catalogues (genres, the fixed year buckets, the constant), as layouts before the
 * schema had.
 *
 * @param itemIds      the catalogue, strictly ascending; item id → row by binary search
 * @param contentWidth columns of x_i
 * @param dim          width of p_u and q_i
 */
public record CollabConfig(int[] itemIds, int contentWidth, int dim, double lambdaUser, double lambdaBias,
                           double itemReg, io.metafed.model.features.FeatureSchema content) implements ModelSpec {
    public static final String FAMILY = "collab";
    public static final int DEFAULT_DIM = 16;
    public static final double DEFAULT_LAMBDA = 5;
    public static final double DEFAULT_ITEM_REG = 0.02;

    public CollabConfig {
        itemIds = itemIds.clone();
        Checks.positive(itemIds.length, "itemIds.length");
        for (int i = 1; i < itemIds.length; i++) {
            if (itemIds[i] <= itemIds[i - 1]) {
                throw new IllegalArgumentException("itemIds must be strictly ascending, found " + itemIds[i - 1]
                        + " then " + itemIds[i] + " at index " + i);
            }
        }
        Checks.positive(contentWidth, "contentWidth");
        Checks.positive(dim, "dim");
        Checks.positive(lambdaUser, "lambdaUser");
        Checks.positive(lambdaBias, "lambdaBias");
        Checks.inRange(itemReg, 0, 1e6, "itemReg");
        if (content != null) {
            content.requireItemOnly();
            if (contentWidth != content.width() + 1) {
                throw new IllegalArgumentException("contentWidth must be the content schema's width + 1 (the constant"
                        + " column) = " + (content.width() + 1) + ", found " + contentWidth);
            }
        }
    }

    /** The legacy content row ({@code content} null). */
    public CollabConfig(int[] itemIds, int contentWidth, int dim, double lambdaUser, double lambdaBias,
                        double itemReg) {
        this(itemIds, contentWidth, dim, lambdaUser, lambdaBias, itemReg, null);
    }

    /** A model whose content row follows {@code content} (item fields only) plus the constant column. */
    public static CollabConfig withContent(int[] itemIds, io.metafed.model.features.FeatureSchema content, int dim,
                                           double lambdaUser, double lambdaBias, double itemReg) {
        return new CollabConfig(itemIds, content.width() + 1, dim, lambdaUser, lambdaBias, itemReg, content);
    }

    /** The defaults chosen on validation users (docs/RESULTS.md): 16 dimensions, λ = 5, item L2 0.02. */
    public static CollabConfig defaults(int[] itemIds, int contentWidth) {
        return new CollabConfig(itemIds, contentWidth, DEFAULT_DIM, DEFAULT_LAMBDA, DEFAULT_LAMBDA, DEFAULT_ITEM_REG);
    }

    @Override
    public int[] itemIds() {
        return itemIds.clone();
    }

    public int items() {
        return itemIds.length;
    }

    /** The table row of {@code itemId}, or −1 for an item outside the catalogue (it is scored by content alone). */
    public int row(int itemId) {
        int r = Arrays.binarySearch(itemIds, itemId);
        return r >= 0 ? r : -1;
    }

    /** Size of the private vector z = [p_u, b_u]. */
    public int privateSize() {
        return dim + 1;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String describe() {
        return "collab/v1;dim=" + dim + ";items=" + itemIds.length + ":" + catalogueHash() + ";content="
                + contentWidth + ";lu=" + lambdaUser + ";lb=" + lambdaBias + ";reg=" + itemReg
                + (content == null ? "" : ";schema=" + content.describe());
    }

    private String catalogueHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int id : itemIds) {
                sha.update(Integer.toString(id).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ',');
            }
            byte[] d = sha.digest();
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollabConfig c && describe().equals(c.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return "CollabConfig[" + describe() + "]";
    }
}
