package io.metafed.evaluation.data;

import java.util.Arrays;

/** Dense indices 0, 1, 2, ... for int keys in first-seen order: an open-addressing map without boxing. */
final class IntIndex {
    private int[] keys;
    private int[] values;
    private int[] order;
    private int size;

    IntIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new int[cap];
        values = new int[cap];
        Arrays.fill(values, -1);
        order = new int[Math.max(16, expected)];
    }

    /** The index of {@code key}, assigning the next one when it is new. */
    int add(int key) {
        int slot = find(key);
        if (values[slot] >= 0) {
            return values[slot];
        }
        keys[slot] = key;
        values[slot] = size;
        if (size == order.length) {
            order = Arrays.copyOf(order, size * 2);
        }
        order[size] = key;
        size++;
        if (size * 2 > keys.length) {
            grow();
        }
        return size - 1;
    }

    /** The index of {@code key}, or -1. */
    int get(int key) {
        return values[find(key)];
    }

    int size() {
        return size;
    }

    /** The key with index {@code index}. */
    int key(int index) {
        return order[index];
    }

    private int find(int key) {
        int mask = keys.length - 1;
        int mix = key * 0x9E3779B9;
        int slot = (mix ^ (mix >>> 16)) & mask;
        while (values[slot] >= 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, -1);
        for (int s = 0; s < oldKeys.length; s++) {
            if (oldValues[s] >= 0) {
                int slot = find(oldKeys[s]);
                keys[slot] = oldKeys[s];
                values[slot] = oldValues[s];
            }
        }
    }
}
