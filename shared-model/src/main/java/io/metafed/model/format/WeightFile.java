package io.metafed.model.format;

import io.metafed.files.AtomicFiles;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Versioned binary file of model weights. Little-endian throughout:
 * <pre>
 *   offset  size  field
 *   0       4     magic "MFWT" (ASCII)
 *   4       4     format version (int, {@value #FORMAT_VERSION}; {@value #LEGACY_MELU_VERSION} is still read)
 *   8       8     layout id ({@link ParamLayout#id()})
 *   16      4     element count n (int)
 *   20      4     metadata length m in bytes (int, at most {@value #MAX_METADATA_BYTES})
 *   24      m     metadata: UTF-8 JSON object of string values, keys sorted
 *   24+m    4n    parameters (IEEE 754 float32)
 *   24+m+4n 4     CRC32C of all preceding bytes
 * </pre>
 * Only a model's shared parameters θ are ever written: private (per-user) tensors of the layout stay on the
 * device. Version 2 adds the model family to the metadata ({@link WeightMetadata#MODEL_FAMILY}), which the
 * reader checks against the expected layout; a version-1 file predates model families and is read as a MeLU θ.
 * Readers reject any deviation with a {@link WeightFormatException}; see {@link WeightParser} for the order of
 * checks. Non-finite parameters are refused on both sides: a NaN in a global model would poison every client.
 */
public final class WeightFile {
    public static final String MAGIC = "MFWT";
    public static final int FORMAT_VERSION = 2;
    /** The format before model families: it holds only MeLU models. */
    public static final int LEGACY_MELU_VERSION = 1;
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    /** Bytes of the fixed header (magic, version, layout id, count, metadata length) in front of the metadata. */
    public static final int HEADER_BYTES = 24;
    /** Byte offset of the header's metadata-length field (a little-endian int). */
    public static final int METADATA_LENGTH_OFFSET = 20;
    /** Bytes of the CRC-32C at the end of the file. */
    public static final int CHECKSUM_BYTES = 4;

    private WeightFile() {
    }

    /**
     * Encodes {@code params} (length {@code layout.size()}, all finite) with {@code metadata}, to which the layout's
     * model family is added.
     */
    public static byte[] write(ParamLayout layout, float[] params, Map<String, String> metadata) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(params, "params");
        return encode(layout, FloatBuffer.wrap(params), metadata);
    }

    /** As {@link #write(ParamLayout, float[], Map)}, reading {@code params} in place (no copy of θ or Δ). */
    public static byte[] write(ParamLayout layout, ParamVector params, Map<String, String> metadata) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(params, "params");
        return encode(layout, params.buffer(), metadata);
    }

    /** {@code params} from position 0 to its limit; consumed (its position moves), so callers pass a fresh view. */
    private static byte[] encode(ParamLayout layout, FloatBuffer params, Map<String, String> metadata) {
        int n = params.remaining();
        if (n != layout.size()) {
            throw new IllegalArgumentException("params must have length " + layout.size() + " (layout "
                    + WeightParser.hexId(layout.id()) + "), found " + n);
        }
        for (int i = 0; i < n; i++) {
            float v = params.get(i);
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(WeightParser.describe(layout, i) + " must be finite, found " + v);
            }
        }
        String family = metadata.get(WeightMetadata.MODEL_FAMILY);
        if (family != null && !family.equals(layout.spec().family())) {
            throw new IllegalArgumentException("metadata '" + WeightMetadata.MODEL_FAMILY + "' must be "
                    + layout.spec().family() + " (the layout's), found '" + family + "'");
        }
        Map<String, String> withFamily = new java.util.TreeMap<>(metadata);
        withFamily.put(WeightMetadata.MODEL_FAMILY, layout.spec().family());
        byte[] meta = MetadataJson.encode(withFamily);
        if (meta.length > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata must encode to at most " + MAX_METADATA_BYTES
                    + " bytes of JSON, found " + meta.length);
        }
        long total = HEADER_BYTES + (long) meta.length + 4L * n + CHECKSUM_BYTES;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("weight file would be " + total + " bytes, more than an array holds");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(FORMAT_VERSION).putLong(layout.id())
                .putInt(n).putInt(meta.length).put(meta);
        buf.asFloatBuffer().put(params);
        // Through Buffer: ByteBuffer's covariant position(int) is Java 9 and absent from Android before API 34.
        ((Buffer) buf).position(buf.position() + 4 * n);
        buf.putInt(WeightParser.crc(buf.array(), buf.position()));
        return buf.array();
    }

    public static void write(ParamLayout layout, float[] params, Map<String, String> metadata, OutputStream out)
            throws IOException {
        Objects.requireNonNull(out, "out");
        out.write(write(layout, params, metadata));
    }

    /**
     * Writes to a temporary sibling, fsyncs it, renames it over {@code file} and fsyncs the directory, so a
     * crash at any point leaves either the old file or the complete new one under the real name.
     */
    public static void write(ParamLayout layout, float[] params, Map<String, String> metadata, Path file)
            throws IOException {
        AtomicFiles.write(file, write(layout, params, metadata));
    }

    /** As {@link #write(ParamLayout, float[], Map, Path)}, reading {@code params} in place. */
    public static void write(ParamLayout layout, ParamVector params, Map<String, String> metadata, Path file)
            throws IOException {
        AtomicFiles.write(file, write(layout, params, metadata));
    }

    /** Decodes a complete file and checks it against {@code expected}. */
    public static Weights read(byte[] bytes, ParamLayout expected) {
        return WeightParser.parse(Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(expected, "expected"));
    }

    /**
     * The metadata of a file in {@code expected}'s layout, after checking magic, version, layout, family and that
     * the length is exactly what the header implies, but without checking the CRC or decoding the parameters. The
     * values are not yet known to be intact: a server reads from them what it needs to check a signature over the
     * raw bytes (e.g. an update's round id), so that a forged upload costs no full decode, and then calls
     * {@link #read(byte[], ParamLayout)}.
     *
     * @throws WeightFormatException as {@link #read(byte[], ParamLayout)} does for those checks
     */
    public static Map<String, String> readMetadata(byte[] bytes, ParamLayout expected) {
        return WeightParser.metadata(Objects.requireNonNull(bytes, "bytes"),
                Objects.requireNonNull(expected, "expected"));
    }

    /**
     * The checks of {@link #readMetadata(byte[], ParamLayout)} before the metadata (magic, version, layout, exact
     * length), for a file of {@code fileLength} bytes that is not in one array (e.g. still in network buffers):
     * {@code prefix} holds its first {@link #prefixLength} bytes. Messages are {@code read}'s, so a reader of another
     * representation reports exactly what this one does.
     *
     * @throws WeightFormatException as {@link #read(byte[], ParamLayout)} does for those checks
     */
    public static void checkHeader(byte[] prefix, long fileLength, ParamLayout expected) {
        WeightParser.checkedHeader(Objects.requireNonNull(prefix, "prefix"), fileLength,
                Objects.requireNonNull(expected, "expected"));
    }

    /** {@link #readMetadata(byte[], ParamLayout)} of a file of {@code fileLength} bytes from its {@code prefix}. */
    public static Map<String, String> readMetadata(byte[] prefix, long fileLength, ParamLayout expected) {
        return WeightParser.metadata(Objects.requireNonNull(prefix, "prefix"), fileLength,
                Objects.requireNonNull(expected, "expected"));
    }

    /**
     * How many leading bytes of a file {@link #checkHeader} and {@link #readMetadata(byte[], long, ParamLayout)}
     * need, given the file's length and, when it has a whole header, the header's metadata-length field.
     */
    public static int prefixLength(long fileLength, int metadataLengthField) {
        if (fileLength < HEADER_BYTES || metadataLengthField < 0 || metadataLengthField > MAX_METADATA_BYTES) {
            return (int) Math.min(fileLength, HEADER_BYTES);
        }
        return (int) Math.min(fileLength, HEADER_BYTES + (long) metadataLengthField);
    }

    /** {@code params[i]} named as {@code read} names a non-finite value: with the tensor and its coordinates. */
    public static String describeParam(ParamLayout layout, int i) {
        return WeightParser.describe(layout, i);
    }

    /**
     * Decodes a file without knowing its layout, e.g. to look up the layout by {@link Weights#layoutId()}.
     * Sizes are still checked against the bytes present; non-finite values are named by index only.
     */
    public static Weights readAnyLayout(byte[] bytes) {
        return WeightParser.parse(Objects.requireNonNull(bytes, "bytes"), null);
    }

    /**
     * The model family of a complete, valid file of any layout: the one its metadata names (format v2), or
     * {@code melu} for a format-v1 file, which predates families. Lets a reader that does not know the layout
     * (e.g. a coordinator finding checkpoints of another model) say what the file holds.
     *
     * @throws WeightFormatException as {@link #readAnyLayout} does
     */
    public static String modelFamily(byte[] bytes) {
        return WeightParser.family(Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * Reads one file that must make up the rest of {@code in}. Only the header is read before the layout
     * is checked, so the buffer allocated afterwards is bounded by {@code expected}, not by the stream.
     */
    public static Weights read(InputStream in, ParamLayout expected) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(expected, "expected");
        byte[] head = new byte[HEADER_BYTES];
        head = Arrays.copyOf(head, readFully(in, head, 0, HEADER_BYTES));
        WeightParser.Header h = WeightParser.header(head, head.length);
        WeightParser.checkLayout(h, expected);
        long total = h.totalLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw WeightParser.truncated(total, head.length, " (larger than an array holds)");
        }
        byte[] all = Arrays.copyOf(head, (int) total);
        int body = readFully(in, all, HEADER_BYTES, all.length - HEADER_BYTES);
        if (body < all.length - HEADER_BYTES) {
            throw WeightParser.truncated(total, HEADER_BYTES + (long) body, "");
        }
        if (in.read() != -1) {
            throw new WeightFormatException(WeightFormatException.Problem.TRAILING_BYTES,
                    "weight file has trailing bytes: expected " + total + " bytes, found more");
        }
        return WeightParser.parse(all, expected);
    }

    public static Weights read(Path file, ParamLayout expected) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, expected);
        }
    }

    /** Reads until {@code len} bytes or the end; InputStream.readNBytes (Java 9) is missing from Android. */
    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
