package io.metafed.coordinator.aggregate;

import io.metafed.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Versioned binary file of a stateful server optimizer's state, saved with each checkpoint so a restarted
 * coordinator continues the optimizer where it stopped. Little-endian throughout:
 * <pre>
 *   offset  size   field
 *   0       4      magic "MFOS" (ASCII)
 *   4       4      format version (int, {@value #FORMAT_VERSION})
 *   8       4      optimizer kind (int: 1 momentum, 2 adam)
 *   12      4      parameter count n (int)
 *   16      8      model version the state belongs to (long)
 *   24      8      steps applied (long; Adam's t, 0 for momentum)
 *   32      8·k·n  k arrays of n float64: momentum velocity; Adam m, then v
 *   32+8kn  4      CRC32C of all preceding bytes
 * </pre>
 * Stateless optimizers ({@link OptimizerState.Empty}) have no file. Readers check the header against the
 * expected model version and parameter count before allocating anything sized by it; see
 * {@link OptimizerStateParser} for the order of checks.
 */
public final class OptimizerStateFile {
    public static final String MAGIC = "MFOS";
    public static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 32;
    static final int CHECKSUM_BYTES = 4;

    /** The stateful optimizers, their on-disk codes and the names of their arrays (k in the layout above). */
    enum Kind {
        MOMENTUM(1, "momentum", "velocity"),
        ADAM(2, "adam", "m", "v");

        final int code;
        final String name;
        final List<String> arrays;

        Kind(int code, String name, String... arrays) {
            this.code = code;
            this.name = name;
            this.arrays = List.of(arrays);
        }
    }

    private OptimizerStateFile() {
    }

    /** Encodes {@code state} (stateful, all values finite) as the state of model {@code modelVersion}. */
    public static byte[] encode(long modelVersion, OptimizerState state) {
        Objects.requireNonNull(state, "state");
        if (modelVersion < 0) {
            throw new IllegalArgumentException("modelVersion must be >= 0, found " + modelVersion);
        }
        Kind kind;
        long steps;
        double[][] arrays;
        if (state instanceof Momentum.State s) {
            kind = Kind.MOMENTUM;
            steps = 0;
            arrays = new double[][] {s.velocity()};
        } else if (state instanceof Adam.State s) {
            kind = Kind.ADAM;
            steps = s.steps();
            arrays = new double[][] {s.firstMoments(), s.secondMoments()};
        } else {
            throw new IllegalArgumentException("optimizer state of kind " + state.kind() + " has no file: only"
                    + " momentum and adam state is saved");
        }
        int n = state.size();
        long total = totalLength(kind, n);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("optimizer state file would be " + total + " bytes, more than an"
                    + " array holds");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(FORMAT_VERSION).putInt(kind.code).putInt(n)
                .putLong(modelVersion).putLong(steps);
        for (int a = 0; a < arrays.length; a++) {
            for (int j = 0; j < n; j++) {
                // A NaN or infinity would be restored into every later step: refuse it here, like the reader.
                if (!Double.isFinite(arrays[a][j])) {
                    throw new IllegalArgumentException(kind.name + " " + kind.arrays.get(a) + "[" + j + "] must be"
                            + " finite, found " + arrays[a][j]);
                }
                buf.putDouble(arrays[a][j]);
            }
        }
        buf.putInt(OptimizerStateParser.crc(buf.array(), buf.position()));
        return buf.array();
    }

    /** Writes atomically (temporary sibling, fsync, rename), so a crash leaves the old file or the new one. */
    public static void write(Path file, long modelVersion, OptimizerState state) throws IOException {
        AtomicFiles.write(file, encode(modelVersion, state));
    }

    /**
     * Reads the state of model {@code modelVersion} covering {@code expectedSize} parameters. Only the header is
     * read before it is checked, so what is allocated afterwards is bounded by {@code expectedSize}.
     *
     * @throws IllegalArgumentException naming {@code file} and what was expected and found, if the file is not
     *     a valid optimizer state file for that version and size
     */
    public static OptimizerState read(Path file, long modelVersion, int expectedSize) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(HEADER_BYTES);
            OptimizerStateParser parser = new OptimizerStateParser(file.toString(), modelVersion, expectedSize);
            OptimizerStateParser.Header h = parser.header(head);
            long total = totalLength(h.kind(), h.count());
            if (total > Integer.MAX_VALUE - 8) {
                throw parser.bad("expected " + total + " bytes, more than an array holds");
            }
            byte[] all = Arrays.copyOf(head, (int) total);
            int body = in.readNBytes(all, HEADER_BYTES, all.length - HEADER_BYTES);
            if (body < all.length - HEADER_BYTES) {
                throw parser.bad("truncated: expected " + total + " bytes, found " + (HEADER_BYTES + (long) body));
            }
            if (in.read() != -1) {
                throw parser.bad("trailing bytes: expected " + total + " bytes, found more");
            }
            return parser.body(all, h);
        }
    }

    static long totalLength(Kind kind, int count) {
        return HEADER_BYTES + 8L * kind.arrays.size() * count + CHECKSUM_BYTES;
    }
}
