package io.metafed.sdk.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * A direct, native-order int64 buffer reused across runs, the {@link DirectFloats} of integer inputs (table rows):
 * ONNX Runtime wraps it without a copy; it is replaced (at least doubling) only when a bigger batch arrives.
 */
final class DirectLongs {
    private LongBuffer buffer;

    DirectLongs(int initialCapacity) {
        this.buffer = allocate(Math.max(1, initialCapacity));
    }

    private static LongBuffer allocate(int longs) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(longs, Long.BYTES)).order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    /** The buffer with position 0 and limit {@code n}, grown first if needed; its contents are unspecified. */
    LongBuffer reserve(int n) {
        if (n > buffer.capacity()) {
            long doubled = 2L * buffer.capacity();
            buffer = allocate((int) Math.min(Integer.MAX_VALUE / Long.BYTES, Math.max(n, doubled)));
        }
        ((java.nio.Buffer) buffer).clear().limit(n); // Buffer's: covariant overrides are absent on Android
        return buffer;
    }

    /** The buffer holding {@code src[0, n)} widened to int64, with position 0 and limit {@code n}. */
    LongBuffer fill(int[] src, int n) {
        reserve(n);
        for (int i = 0; i < n; i++) {
            buffer.put(i, src[i]);
        }
        return buffer;
    }

    int capacity() {
        return buffer.capacity();
    }
}
