package io.metafed.sdk.runtime;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * A direct, native-order double buffer reused across runs, the {@link DirectFloats} of the ridge graphs'
 * double-precision outputs: ONNX Runtime writes into it without a copy; it is replaced (at least doubling) only when
 * a bigger group arrives.
 */
final class DirectDoubles {
    private DoubleBuffer buffer;

    DirectDoubles(int initialCapacity) {
        buffer = allocate(Math.max(1, initialCapacity));
    }

    static DoubleBuffer allocate(int doubles) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(doubles, Double.BYTES)).order(ByteOrder.nativeOrder())
                .asDoubleBuffer();
    }

    /** The buffer with position 0 and limit {@code n}, grown first if needed; its contents are unspecified. */
    DoubleBuffer reserve(int n) {
        if (n > buffer.capacity()) {
            buffer = allocate(Math.max(n, 2 * buffer.capacity()));
        }
        ((Buffer) buffer).clear().limit(n); // Buffer's: covariant overrides are absent on Android
        return buffer;
    }

    /** {@code dst.length} doubles of {@code src} from {@code index}, leaving {@code src}'s position alone. */
    static void get(DoubleBuffer src, int index, double[] dst) {
        DoubleBuffer view = src.duplicate();
        ((Buffer) view).position(index);
        view.get(dst);
    }
}
