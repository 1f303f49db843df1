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
 * <p>
 * {@code itemRows} bounds the item table, and with it every update, whatever the catalogue's size: with
 * {@code itemRows > 0} catalogue items share that many rows by a fixed hash of their id (feature hashing;
 * colliding items share a row, their content rows still differ); 0 gives every catalogue item a row of its own.
 * Items outside the catalogue have no row either way.
 *
 * @param itemIds      the catalogue, strictly ascending; item id → row by binary search
 * @param contentWidth columns of x_i
 * @param dim          width of p_u and q_i
 */
public record CollabConfig(int[] itemIds, int contentWidth, int dim, double lambdaUser, double lambdaBias,
                           double itemReg, io.metafed.model.features.FeatureSchema content, int itemRows)
        implements ModelSpec {
    public static final String FAMILY = "collab";
    public static final int DEFAULT_DIM = 32;
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
        Checks.nonNegative(itemRows, "itemRows");
        if (content != null) {
            content.requireItemOnly();
            if (contentWidth != content.width() + 1) {
                throw new IllegalArgumentException("contentWidth must be the content schema's width + 1 (the constant"
                        + " column) = " + (content.width() + 1) + ", found " + contentWidth);
            }
        }
    }

    /** The legacy content row ({@code content} null), one row per catalogue item. */
    public CollabConfig(int[] itemIds, int contentWidth, int dim, double lambdaUser, double lambdaBias,
                        double itemReg) {
        this(itemIds, contentWidth, dim, lambdaUser, lambdaBias, itemReg, null);
    }

    /** One row per catalogue item. */
    public CollabConfig(int[] itemIds, int contentWidth, int dim, double lambdaUser, double lambdaBias,
                        double itemReg, io.metafed.model.features.FeatureSchema content) {
        this(itemIds, contentWidth, dim, lambdaUser, lambdaBias, itemReg, content, 0);
    }

    /** This model with its catalogue hashed into {@code rows} table rows (0: a row per item). */
    public CollabConfig withItemRows(int rows) {
        return new CollabConfig(itemIds, contentWidth, dim, lambdaUser, lambdaBias, itemReg, content, rows);
    }

    /** A model whose content row follows {@code content} (item fields only) plus the constant column. */
    public static CollabConfig withContent(int[] itemIds, io.metafed.model.features.FeatureSchema content, int dim,
                                           double lambdaUser, double lambdaBias, double itemReg) {
        return new CollabConfig(itemIds, content.width() + 1, dim, lambdaUser, lambdaBias, itemReg, content);
    }

    /** The defaults chosen on the validation split (docs/RESULTS.md): 32 dimensions, λ = 5, item L2 0.02. */
    public static CollabConfig defaults(int[] itemIds, int contentWidth) {
        return new CollabConfig(itemIds, contentWidth, DEFAULT_DIM, DEFAULT_LAMBDA, DEFAULT_LAMBDA, DEFAULT_ITEM_REG);
    }

    @Override
    public int[] itemIds() {
        return itemIds.clone();
    }

    /** Rows of the item table: {@code itemRows} when hashed, else the catalogue's size. */
    public int items() {
        return itemRows > 0 ? itemRows : itemIds.length;
    }

    /** The table row of {@code itemId}, or −1 for an item outside the catalogue (it is scored by content alone). */
    public int row(int itemId) {
        int r = Arrays.binarySearch(itemIds, itemId);
        if (r < 0) {
            return -1;
        }
        return itemRows > 0 ? bucket(itemId, itemRows) : r;
    }

    /** SplitMix64's finalizer of the id, mod {@code rows}: fixed, so every device and release hashes alike. */
    static int bucket(int itemId, int rows) {
        long z = itemId * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) rows);
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
                + (content == null ? "" : ";schema=" + content.describe()) + (itemRows == 0 ? "" : ";rows=" + itemRows);
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
