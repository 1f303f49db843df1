package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips and tamper negatives of the optimizer state file; values chosen to expose any rounding. */
class OptimizerStateFileTest {
    private static final double[] A = {0.1, -0.0, Double.MIN_VALUE, -1e300, 1.0 / 3, 42};
    private static final double[] B = {0.0, 1e-300, 0.25, 7e10, Math.PI, Double.MAX_VALUE};

    @TempDir
    Path dir;

    private Path written(long version, OptimizerState state) throws IOException {
        Path file = dir.resolve("optimizer-" + version + ".mfos");
        OptimizerStateFile.write(file, version, state);
        return file;
    }

    private Path adamFile() throws IOException {
        return written(3, new Adam.State(A.clone(), B.clone(), 17));
    }

    /** Asserts reading {@code file} as version 3 of 6 parameters fails with a message naming it and {@code part}. */
    private static void assertRefused(Path file, String part) {
        assertRefused(file, 6, part);
    }

    private static void assertRefused(Path file, int expectedSize, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerStateFile.read(file, 3, expectedSize));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void patch(Path file, int offset, ByteBuffer with, boolean fixCrc) throws IOException {
        byte[] b = Files.readAllBytes(file);
        System.arraycopy(with.array(), 0, b, offset, with.capacity());
        if (fixCrc) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(b.length - 4, OptimizerStateParser.crc(b, b.length - 4));
        }
        Files.write(file, b);
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void momentum_writeThenRead_roundTripsVelocityBitForBit() throws IOException {
        Momentum.State read = assertInstanceOf(Momentum.State.class,
                OptimizerStateFile.read(written(3, new Momentum.State(A.clone())), 3, 6));
        for (int j = 0; j < A.length; j++) {
            assertEquals(Double.doubleToRawLongBits(A[j]), Double.doubleToRawLongBits(read.velocity(j)), "index " + j);
        }
    }

    @Test
    void adam_writeThenRead_roundTripsMomentsAndSteps() throws IOException {
        Adam.State read = assertInstanceOf(Adam.State.class, OptimizerStateFile.read(adamFile(), 3, 6));
        assertEquals(17, read.steps());
        for (int j = 0; j < A.length; j++) {
            assertEquals(Double.doubleToRawLongBits(A[j]), Double.doubleToRawLongBits(read.firstMoment(j)));
            assertEquals(Double.doubleToRawLongBits(B[j]), Double.doubleToRawLongBits(read.secondMoment(j)));
        }
        assertEquals(OptimizerStateFile.totalLength(OptimizerStateFile.Kind.ADAM, 6), Files.size(adamFile()));
    }

    @Test
    void read_bitFlipInMoments_refusedWithChecksumError() throws IOException {
        Path file = adamFile();
        byte[] b = Files.readAllBytes(file);
        b[OptimizerStateFile.HEADER_BYTES + 60] ^= 0x10;
        Files.write(file, b);
        assertRefused(file, "checksum mismatch: stored CRC32C");
    }

    @Test
    void read_truncated_refusedWithExpectedAndFoundLength() throws IOException {
        Path file = adamFile();
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length - 9));
        assertRefused(file, "truncated: expected " + b.length + " bytes, found " + (b.length - 9));
        Files.write(file, Arrays.copyOf(b, 20));
        assertRefused(file, "truncated header: expected 32 bytes, found 20");
    }

    @Test
    void read_trailingBytes_refused() throws IOException {
        Path file = adamFile();
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length + 1));
        assertRefused(file, "trailing bytes: expected " + b.length + " bytes");
    }

    @Test
    void read_wrongMagic_refusedNamingExpectedAndFound() throws IOException {
        Path file = adamFile();
        patch(file, 0, ByteBuffer.wrap("MFWT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), false);
        assertRefused(file, "not an optimizer state file: expected magic \"MFOS\" (4d 46 4f 53), found 4d 46 57 54");
    }

    @Test
    void read_unsupportedVersion_refused() throws IOException {
        Path file = adamFile();
        patch(file, 4, le(4).putInt(2), true);
        assertRefused(file, "unsupported format version: expected 1, found 2");
    }

    @Test
    void read_unknownKind_refused() throws IOException {
        Path file = adamFile();
        patch(file, 8, le(4).putInt(7), true);
        assertRefused(file, "unknown optimizer kind: expected 1 (momentum) or 2 (adam), found 7");
    }

    @Test
    void read_otherParameterCount_refused() throws IOException {
        assertRefused(adamFile(), 5, "parameter count mismatch: expected 5, found 6");
    }

    /** A hostile count is refused from the header alone: nothing of 16·2³¹ bytes is ever allocated. */
    @Test
    void read_hugeClaimedParameterCount_refusedBeforeAllocating() throws IOException {
        Path file = adamFile();
        patch(file, 12, le(4).putInt(Integer.MAX_VALUE), false);
        assertRefused(file, "parameter count mismatch: expected 6, found 2147483647");
    }

    @Test
    void read_otherModelVersion_refused() throws IOException {
        Path file = written(4, new Momentum.State(A.clone()));
        assertRefused(file, "model version mismatch: expected 3, found 4");
    }

    @Test
    void read_nonFiniteOrNegativeSecondMomentBehindValidChecksum_refused() throws IOException {
        Path file = adamFile();
        patch(file, OptimizerStateFile.HEADER_BYTES + 8, le(8).putDouble(Double.NaN), true);
        assertRefused(file, "adam m[1] must be finite, found NaN");
        file = adamFile();
        patch(file, OptimizerStateFile.HEADER_BYTES + 8 * 6 + 16, le(8).putDouble(-1), true);
        assertRefused(file, "adam v[2] must be finite and >= 0, found -1.0");
    }

    @Test
    void write_statelessOrNonFiniteState_refused() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> OptimizerStateFile.encode(1, OptimizerState.Empty.INSTANCE));
        assertTrue(empty.getMessage().contains("kind none has no file"), empty.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> OptimizerStateFile.encode(1, new Momentum.State(new double[] {1, Double.POSITIVE_INFINITY})));
        assertTrue(inf.getMessage().contains("momentum velocity[1] must be finite, found Infinity"), inf.getMessage());
    }
}
