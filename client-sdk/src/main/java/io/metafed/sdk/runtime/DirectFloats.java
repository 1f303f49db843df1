package io.metafed.sdk.runtime;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A direct, native-order float buffer reused across runs. ONNX Runtime wraps direct buffers without copying
 * them, so refilling one buffer avoids an allocation and a copy per tensor per run; the buffer is replaced
 * (at least doubling) only when a bigger batch arrives.
 */
final class DirectFloats {
    private FloatBuffer buffer;

    DirectFloats(int initialCapacity) {
        this.buffer = allocate(Math.max(1, initialCapacity));
    }

    static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** The buffer with position 0 and limit {@code n}, grown first if needed; its contents are unspecified. */
    FloatBuffer reserve(int n) {
        if (n > buffer.capacity()) {
            long doubled = 2L * buffer.capacity();
            buffer = allocate((int) Math.min(Integer.MAX_VALUE / Float.BYTES, Math.max(n, doubled)));
        }
        ((Buffer) buffer).clear().limit(n); // Buffer's: FloatBuffer's covariant overrides are absent on Android
        return buffer;
    }

    /** The buffer holding a copy of {@code src[0, n)}, with position 0 and limit {@code n}. */
    FloatBuffer fill(float[] src, int n) {
        FloatBuffer b = reserve(n);
        put(b, 0, src, n);
        return b;
    }

    /**
     * {@code src[0, n)} into {@code dst} from {@code index}, leaving {@code dst}'s position alone. Not
     * {@code FloatBuffer.put(int, float[], int, int)}: Java 16, absent from Android before API 34.
     */
    static void put(FloatBuffer dst, int index, float[] src, int n) {
        FloatBuffer view = dst.duplicate();
        ((Buffer) view).position(index);
        view.put(src, 0, n);
    }

    /** {@code dst.length} floats of {@code src} from {@code index}, leaving {@code src}'s position alone. */
    static void get(FloatBuffer src, int index, float[] dst) {
        FloatBuffer view = src.duplicate();
        ((Buffer) view).position(index);
        view.get(dst);
    }

    int capacity() {
        return buffer.capacity();
    }
}
