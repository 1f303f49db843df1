package io.metafed.model.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Ratings held column-wise in primitive arrays (20 bytes a rating), so tens of millions fit a default heap; a
 * read-only {@code List<Interaction>} view whose elements are created on access. Immutable.
 */
public final class RatingTable extends AbstractList<Interaction> implements RandomAccess {
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] timestamps;

    private RatingTable(int[] users, int[] items, float[] ratings, long[] timestamps) {
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
    }

    /** A table holding {@code interactions} (or the same table when it already is one). */
    public static RatingTable of(List<Interaction> interactions) {
        if (interactions instanceof RatingTable t) {
            return t;
        }
        Builder b = new Builder(interactions.size());
        for (Interaction in : interactions) {
            b.add(in.user(), in.item(), in.rating(), in.timestamp(), 0);
        }
        return b.build();
    }

    @Override
    public Interaction get(int index) {
        return new Interaction(users[index], items[index], ratings[index], timestamps[index]);
    }

    @Override
    public int size() {
        return users.length;
    }

    public int user(int index) {
        return users[index];
    }

    public int item(int index) {
        return items[index];
    }

    public float rating(int index) {
        return ratings[index];
    }

    public long timestamp(int index) {
        return timestamps[index];
    }

    /** Bytes held by the arrays. */
    public long bytes() {
        return 20L * users.length;
    }

    /** Growable columns for streaming loaders; remembers each rating's source line for error messages. */
    public static final class Builder {
        private int[] users;
        private int[] items;
        private float[] ratings;
        private long[] timestamps;
        private int[] lines;
        private int size;

        public Builder(int capacity) {
            int c = Math.max(16, capacity);
            users = new int[c];
            items = new int[c];
            ratings = new float[c];
            timestamps = new long[c];
            lines = new int[c];
        }

        public void add(int user, int item, float rating, long timestamp, int line) {
            if (size == users.length) {
                int c = users.length + (users.length >> 1) + 16;
                users = Arrays.copyOf(users, c);
                items = Arrays.copyOf(items, c);
                ratings = Arrays.copyOf(ratings, c);
                timestamps = Arrays.copyOf(timestamps, c);
                lines = Arrays.copyOf(lines, c);
            }
            users[size] = user;
            items[size] = item;
            ratings[size] = rating;
            timestamps[size] = timestamp;
            lines[size] = line;
            size++;
        }

        public int size() {
            return size;
        }

        public int user(int index) {
            return users[index];
        }

        public int item(int index) {
            return items[index];
        }

        public float rating(int index) {
            return ratings[index];
        }

        public long timestamp(int index) {
            return timestamps[index];
        }

        /** Source line of rating {@code index}. */
        public int line(int index) {
            return lines[index];
        }

        /** Drops the ratings whose index is set in {@code drop}, keeping the order of the rest. */
        public void remove(java.util.BitSet drop) {
            int w = 0;
            for (int r = 0; r < size; r++) {
                if (!drop.get(r)) {
                    users[w] = users[r];
                    items[w] = items[r];
                    ratings[w] = ratings[r];
                    timestamps[w] = timestamps[r];
                    lines[w] = lines[r];
                    w++;
                }
            }
            size = w;
        }

        public RatingTable build() {
            RatingTable t = new RatingTable(Arrays.copyOf(users, size), Arrays.copyOf(items, size),
                    Arrays.copyOf(ratings, size), Arrays.copyOf(timestamps, size));
            users = null;
            items = null;
            ratings = null;
            timestamps = null;
            lines = null;
            return t;
        }
    }
}
