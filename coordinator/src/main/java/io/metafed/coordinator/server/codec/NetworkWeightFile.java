package io.metafed.coordinator.server.codec;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.metafed.model.Hex;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.WeightFormatException.Problem;
import io.metafed.model.format.WeightMetadata;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
 * <p>A second parser of one format could drift from the first: {@code NetworkWeightFileTest} holds the two to
 * the same verdict (same values, or the same {@link Problem} and message) on seeded corruptions of real update
 * files split into buffers at random points.
 */
public final class NetworkWeightFile {
    private static final int HEADER_BYTES = 24;
    private static final int CHECKSUM_BYTES = 4;
    private static final byte[] MAGIC = WeightFile.MAGIC.getBytes(StandardCharsets.US_ASCII);

    private NetworkWeightFile() {
    }

    /** A decoded file: its layout id, the parameters (a fresh array, the caller's alone) and the metadata. */
    public record Decoded(long layoutId, float[] params, Map<String, String> metadata) {
    }

    /** The fixed-size fields in front of the metadata block. */
    private record Header(int version, long layoutId, int count, int metadataLength) {
        long totalLength() {
            return HEADER_BYTES + (long) metadataLength + 4L * count + CHECKSUM_BYTES;
        }
    }

    /** As {@link WeightFile#readMetadata(byte[], ParamLayout)}, on the readable bytes of {@code file}. */
    public static Map<String, String> readMetadata(ByteBuf file, ParamLayout expected) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        Header h = checkedHeader(file, expected);
        return familyChecked(h, metadata(file, h), expected);
    }

    /** As {@link WeightFile#read(byte[], ParamLayout)}, on the readable bytes of {@code file}. */
    public static Decoded read(ByteBuf file, ParamLayout expected) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        Header h = checkedHeader(file, expected);
        int start = file.readerIndex();
        int crcOffset = (int) h.totalLength() - CHECKSUM_BYTES;
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
        Map<String, String> metadata = familyChecked(h, metadata(file, h), expected);
        float[] params = new float[h.count()];
        readFloats(file, start + HEADER_BYTES + h.metadataLength(), params);
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new WeightFormatException(Problem.NON_FINITE,
                        describe(expected, i) + " must be finite, found " + params[i]);
            }
        }
        return new Decoded(h.layoutId(), params, metadata);
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

    /** Header, layout and exact length, in {@code WeightParser}'s order and with its messages. */
    private static Header checkedHeader(ByteBuf file, ParamLayout expected) {
        int start = file.readerIndex();
        int length = file.readableBytes();
        for (int i = 0; i < Math.min(MAGIC.length, length); i++) {
            if (file.getByte(start + i) != MAGIC[i]) {
                byte[] found = new byte[Math.min(MAGIC.length, length)];
                file.getBytes(start, found);
                throw new WeightFormatException(Problem.BAD_MAGIC, "not a weight file: expected magic \""
                        + WeightFile.MAGIC + "\" (" + Hex.of(MAGIC, 0, MAGIC.length, " ") + "), found "
                        + Hex.of(found, 0, found.length, " "));
            }
        }
        if (length >= 8) {
            int version = file.getIntLE(start + 4);
            if (version != WeightFile.FORMAT_VERSION && version != WeightFile.LEGACY_MELU_VERSION) {
                throw new WeightFormatException(Problem.UNSUPPORTED_VERSION, "unsupported weight format version:"
                        + " expected " + WeightFile.FORMAT_VERSION + " (or legacy " + WeightFile.LEGACY_MELU_VERSION
                        + "), found " + version);
            }
        }
        if (length < HEADER_BYTES) {
            throw truncated(HEADER_BYTES, length, " (header)");
        }
        Header h = new Header(file.getIntLE(start + 4), file.getLongLE(start + 8), file.getIntLE(start + 16),
                file.getIntLE(start + 20));
        if (h.count() < 0) {
            throw new WeightFormatException(Problem.ELEMENT_COUNT, "element count must be >= 0, found " + h.count());
        }
        if (h.metadataLength() < 0 || h.metadataLength() > WeightFile.MAX_METADATA_BYTES) {
            throw new WeightFormatException(Problem.METADATA, "metadata length must be in [0, "
                    + WeightFile.MAX_METADATA_BYTES + "] bytes, found " + h.metadataLength());
        }
        checkLayout(h, expected);
        long total = h.totalLength();
        if (length < total) {
            throw truncated(total, length, "");
        }
        if (length > total) {
            throw new WeightFormatException(Problem.TRAILING_BYTES, "weight file has trailing bytes: expected "
                    + total + " bytes, found " + length);
        }
        return h;
    }

    private static void checkLayout(Header h, ParamLayout expected) {
        if (h.version() == WeightFile.LEGACY_MELU_VERSION && !ModelConfig.FAMILY.equals(expected.spec().family())) {
            throw new WeightFormatException(Problem.LAYOUT_MISMATCH, "weight format v" + h.version() + " holds only "
                    + ModelConfig.FAMILY + " models (it predates model families), but the expected layout is "
                    + expected.spec().family() + ": train or export that model in format v" + WeightFile.FORMAT_VERSION);
        }
        if (h.layoutId() != expected.id()) {
            throw new WeightFormatException(Problem.LAYOUT_MISMATCH, "layout id mismatch: expected "
                    + hexId(expected.id()) + " (" + expected.spec().describe() + "), found " + hexId(h.layoutId()));
        }
        if (h.count() != expected.size()) {
            throw new WeightFormatException(Problem.ELEMENT_COUNT, "element count mismatch for layout "
                    + hexId(expected.id()) + ": expected " + expected.size() + ", found " + h.count());
        }
    }

    /** The metadata block: a flat JSON object of string values in strict UTF-8 (copied out: ~100 bytes). */
    private static Map<String, String> metadata(ByteBuf file, Header h) {
        byte[] bytes = new byte[h.metadataLength()];
        file.getBytes(file.readerIndex() + HEADER_BYTES, bytes);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("metadata must be UTF-8", e);
        }
        Map<String, String> result = new TreeMap<>();
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (r.peek() != JsonToken.STRING) {
                    throw invalid("metadata value of '" + key + "' must be a string, found " + r.peek(), null);
                }
                if (result.put(key, r.nextString()) != null) {
                    throw invalid("metadata key '" + key + "' must be unique, found it twice", null);
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw invalid("metadata must hold exactly one JSON object, found more after it", null);
            }
        } catch (IOException | IllegalStateException e) {
            throw invalid("metadata must be a JSON object of string values: " + e.getMessage(), e);
        }
        return result;
    }

    /** Version 2 names the model family, which must be the expected layout's; the key is format data, dropped. */
    private static Map<String, String> familyChecked(Header h, Map<String, String> metadata, ParamLayout expected) {
        if (h.version() == WeightFile.LEGACY_MELU_VERSION) {
            return metadata;
        }
        String family = metadata.get(WeightMetadata.MODEL_FAMILY);
        if (family == null) {
            throw new WeightFormatException(Problem.METADATA, "weight format v" + h.version() + " metadata must name '"
                    + WeightMetadata.MODEL_FAMILY + "', found keys " + metadata.keySet());
        }
        if (!family.equals(expected.spec().family())) {
            throw new WeightFormatException(Problem.LAYOUT_MISMATCH, "model family mismatch: expected "
                    + expected.spec().family() + ", found " + family);
        }
        Map<String, String> rest = new TreeMap<>(metadata);
        rest.remove(WeightMetadata.MODEL_FAMILY);
        return rest;
    }

    private static String describe(ParamLayout layout, int i) {
        String base = "params[" + i + "]";
        for (TensorSlot s : layout.slots()) {
            if (i >= s.offset() && i < s.end()) {
                int local = i - s.offset();
                String at = s.shape().length == 2 ? local / s.cols() + "," + local % s.cols() : String.valueOf(local);
                return base + " (" + s.name() + "[" + at + "])";
            }
        }
        return base;
    }

    private static String hexId(long id) {
        return String.format("0x%016x", id);
    }

    private static WeightFormatException truncated(long expected, long found, String where) {
        return new WeightFormatException(Problem.TRUNCATED, "weight file truncated" + where + ": expected "
                + expected + " bytes, found " + found);
    }

    private static WeightFormatException invalid(String message, Throwable cause) {
        return new WeightFormatException(Problem.METADATA, message, cause);
    }
}
