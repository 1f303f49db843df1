package io.metafed.model.nn;

import java.util.Arrays;

/**
 * Where a vector of {@code size} entries may be nonzero: sorted, disjoint, non-adjacent half-open ranges
 * [start, end) within [0, size). A collaborative client's Δ is zero outside μ, the content tower, the prior and its
 * own items' rows, a few thousand of θ's tens of thousands of entries, so the passes that norm, check and sum an
 * update can skip the rest (see {@link ParamVector#adoptSparse}). Immutable.
 */
public final class Support {
    private final int size;
    private final int[] bounds; // start0, end0, start1, end1, …: sorted, disjoint, not touching, none empty
    private final int count;

    private Support(int size, int[] bounds) {
        this.size = size;
        this.bounds = bounds;
        int c = 0;
        for (int r = 0; r < bounds.length; r += 2) {
            c += bounds[r + 1] - bounds[r];
        }
        this.count = c;
    }

    /** Every index of a vector of {@code size} entries (a dense vector). */
    public static Support all(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, found " + size);
        }
        return new Support(size, size == 0 ? new int[0] : new int[] {0, size});
    }

    /** A builder of a support of a vector of {@code size} entries; ranges may be added in any order. */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** The vector's length (not the number of indices in the support: that is {@link #count()}). */
    public int size() {
        return size;
    }

    /** How many indices the support holds. */
    public int count() {
        return count;
    }

    /** Whether the support is every index, i.e. says nothing about zeros. */
    public boolean isAll() {
        return count == size;
    }

    public int ranges() {
        return bounds.length / 2;
    }

    /** Start (inclusive) of range {@code r}; ranges are in increasing order. */
    public int start(int r) {
        return bounds[2 * r];
    }

    /** End (exclusive) of range {@code r}. */
    public int end(int r) {
        return bounds[2 * r + 1];
    }

    /** Whether index {@code i} lies in the support. */
    public boolean contains(int i) {
        int lo = 0;
        int hi = ranges() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (i < start(mid)) {
                hi = mid - 1;
            } else if (i >= end(mid)) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Support s && s.size == size && Arrays.equals(s.bounds, bounds);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return "Support[" + count + " of " + size + " in " + ranges() + " ranges]";
    }

    /** Collects ranges, then sorts and merges them (overlapping or touching ranges become one). */
    public static final class Builder {
        private final int size;
        private int[] pending = new int[16];
        private int length;

        private Builder(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, found " + size);
            }
            this.size = size;
        }

        /** Adds [start, end); an empty range adds nothing. */
        public Builder add(int start, int end) {
            if (start < 0 || end > size || start > end) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") must lie within [0, " + size
                        + "]");
            }
            if (start == end) {
                return this;
            }
            if (length == pending.length) {
                pending = Arrays.copyOf(pending, 2 * length);
            }
            pending[length++] = start;
            pending[length++] = end;
            return this;
        }

        /** Adds every index of {@code slot}. */
        public Builder add(TensorSlot slot) {
            return add(slot.offset(), slot.end());
        }

        public Support build() {
            int n = length / 2;
            long[] packed = new long[n];
            for (int r = 0; r < n; r++) {
                packed[r] = ((long) pending[2 * r] << 32) | pending[2 * r + 1];
            }
            Arrays.sort(packed); // by start, then end: starts and ends are >= 0, so the packing sorts as (start, end)
            int[] merged = new int[2 * n];
            int m = 0;
            for (long p : packed) {
                int start = (int) (p >>> 32);
                int end = (int) p;
                if (m > 0 && start <= merged[m - 1]) {
                    merged[m - 1] = Math.max(merged[m - 1], end);
                } else {
                    merged[m++] = start;
                    merged[m++] = end;
                }
            }
            return new Support(size, Arrays.copyOf(merged, m));
        }
    }
}
