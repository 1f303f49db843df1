package io.metafed.coordinator.server.codec;

import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.WeightFormatException.Problem;
import io.metafed.model.nn.ParamLayout;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads a {@link WeightFile} in an expected layout straight from the buffers a request arrived in (a Netty
 * {@link ByteBuf}, usually a composite of several TLS records), with the checks, order and messages of
 * {@link WeightFile#read(byte[], ParamLayout)} and {@link WeightFile#readMetadata(byte[], ParamLayout)}. The
 * device-side reader takes one {@code byte[]}: on the coordinator that meant a 75 KB heap copy of every update
 * before anything was checked. Here the CRC-32C runs over the network buffers ({@link CRC32C#update(ByteBuffer)},
 * Java 9, which the Android-checked shared module may not use) and the floats are bulk-read from them into the
 * array that becomes Δ, so the only copy of the parameters is the one that is kept.
 *
 * <p>Header, layout, length and metadata are checked by {@code WeightFile} itself on a copy of the file's first
 * bytes (the header and the metadata block, ~100 bytes), so there is one parser of those; only the checksum and
 * the floats are read here. {@code NetworkWeightFileTest} holds the two readers to the same verdict (same values,
 * or the same {@link Problem} and message) on seeded corruptions of real update files split into buffers at random
 * points.
 */
public final class NetworkWeightFile {
    private NetworkWeightFile() {
    }

    /** A decoded file: its layout id, the parameters (a fresh array, the caller's alone) and the metadata. */
    public record Decoded(long layoutId, float[] params, Map<String, String> metadata) {
    }

    /** As {@link WeightFile#readMetadata(byte[], ParamLayout)}, on the readable bytes of {@code file}. */
    public static Map<String, String> readMetadata(ByteBuf file, ParamLayout expected) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        return WeightFile.readMetadata(prefix(file), file.readableBytes(), expected);
    }

    /** As {@link WeightFile#read(byte[], ParamLayout)}, on the readable bytes of {@code file}. */
    public static Decoded read(ByteBuf file, ParamLayout expected) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        byte[] prefix = prefix(file);
        int length = file.readableBytes();
        // read's order: header, layout and length; then the checksum; then the metadata; then the floats.
        WeightFile.checkHeader(prefix, length, expected);
        int start = file.readerIndex();
        int crcOffset = length - WeightFile.CHECKSUM_BYTES;
        int stored = file.getIntLE(start + crcOffset);
        CRC32C crc = new CRC32C();
        for (ByteBuffer part : file.nioBuffers(start, crcOffset)) {
            crc.update(part);
        }
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw new WeightFormatException(Problem.CHECKSUM, String.format(
                    "checksum mismatch: stored CRC32C 0x%08x, computed 0x%08x; the file is corrupt", stored, computed));
        }
        Map<String, String> metadata = WeightFile.readMetadata(prefix, length, expected);
        // The header passed: the layout id is the expected one and the floats fill the file up to the checksum.
        float[] params = new float[expected.size()];
        readFloats(file, start + prefix.length, params);
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new WeightFormatException(Problem.NON_FINITE,
                        WeightFile.describeParam(expected, i) + " must be finite, found " + params[i]);
            }
        }
        return new Decoded(expected.id(), params, metadata);
    }

    /** A copy of the file's first bytes: its header and metadata block, or all of it when it is shorter. */
    private static byte[] prefix(ByteBuf file) {
        int start = file.readerIndex();
        int length = file.readableBytes();
        int metadataLength = length >= WeightFile.HEADER_BYTES
                ? file.getIntLE(start + WeightFile.METADATA_LENGTH_OFFSET) : -1;
        byte[] prefix = new byte[WeightFile.prefixLength(length, metadataLength)];
        file.getBytes(start, prefix);
        return prefix;
    }

    /**
     * Little-endian floats from {@code from} into all of {@code dst}, in bulk per buffer component. A float may
     * straddle two components (TLS records end anywhere): its bytes are carried over into the next one.
     */
    static void readFloats(ByteBuf file, int from, float[] dst) {
        int k = 0;
        int carry = 0;
        int carried = 0; // bytes of a straddling float read so far
        for (ByteBuffer part : file.nioBuffers(from, 4 * dst.length)) {
            part.order(ByteOrder.LITTLE_ENDIAN);
            while (carried > 0 && part.hasRemaining()) {
                carry |= (part.get() & 0xFF) << (8 * carried);
                if (++carried == 4) {
                    dst[k++] = Float.intBitsToFloat(carry);
                    carry = 0;
                    carried = 0;
                }
            }
            int whole = part.remaining() / 4;
            part.asFloatBuffer().get(dst, k, whole);
            k += whole;
            part.position(part.position() + 4 * whole);
            while (part.hasRemaining()) {
                carry |= (part.get() & 0xFF) << (8 * carried++);
            }
        }
        if (k != dst.length || carried != 0) {
            throw new IllegalStateException("read " + k + " floats and " + carried + " bytes, expected " + dst.length
                    + " floats: the length was checked before, so the buffer changed underneath");
        }
    }
}
