package io.jtcp.host;

import java.util.function.Consumer;

/**
 * An open-addressing hash map from {@code long} keys to objects: O(1) lookups (UDP's
 * sockets by port) without boxing a key per lookup. Linear probing with
 * backward-shift deletion, so there are no tombstones to slow long-lived tables.
 */
final class LongMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongMap() {
        this(16);
    }

    LongMap(int capacity) {
        int n = Integer.highestOneBit(Math.max(4, capacity - 1)) << 1;
        keys = new long[n];
        values = new Object[n];
        mask = n - 1;
    }

    int size() { return size; }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
        }
    }

    /** Maps {@code key} to a non-null {@code value}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) throw new IllegalArgumentException("null value");
        if (2 * (size + 1) > keys.length) grow();
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return null;
            }
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
    }

    @SuppressWarnings("unchecked")
    V remove(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == null) return null;
            if (keys[i] == key) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                return old;
            }
        }
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super V> action) {
        for (Object v : values.clone()) if (v != null) action.accept((V) v);
    }

    /** Closes the gap at {@code hole} by moving later entries of the same probe run back into it. */
    private void shiftBack(int hole) {
        for (int i = (hole + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int home = slot(keys[i]);
            // Move entry i into the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!stays) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) put(oldKeys[i], cast(oldValues[i]));
        }
    }

    @SuppressWarnings("unchecked")
    private V cast(Object o) { return (V) o; }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
