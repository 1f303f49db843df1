package io.metafed.simulation.spark;

import io.metafed.model.data.Interaction;
import java.io.Serializable;
import java.util.List;

/**
 * One virtual client's ratings as Spark caches them on the executor that runs the client: primitive columns, so a
 * cached client costs little more than its ratings.
 */
record ClientData(int user, int[] items, float[] ratings) implements Serializable {
    ClientData {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("user " + user + " must have as many ratings as items, found "
                    + ratings.length + " ratings for " + items.length + " items");
        }
        if (items.length == 0) {
            throw new IllegalArgumentException("user " + user + " must have at least one rating, found none");
        }
    }

    static ClientData of(int user, List<Interaction> ratings) {
        int[] items = new int[ratings.size()];
        float[] values = new float[ratings.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = ratings.get(i).item();
            values[i] = ratings.get(i).rating();
        }
        return new ClientData(user, items, values);
    }
}
