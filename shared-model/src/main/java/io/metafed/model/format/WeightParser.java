package io.metafed.model.format;

import io.metafed.model.Crc32c;
import io.metafed.model.Hex;
import io.metafed.model.format.WeightFormatException.Problem;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Validation and decoding of the layout described in {@link WeightFile}. Every length read from the file is
 * checked against the expected layout or the bytes actually present before anything is allocated from it,
 * so a hostile or corrupt header cannot make the reader allocate gigabytes.
 */
final class WeightParser {
    /** The fixed-size fields in front of the metadata block, as read from the file. */
    record Header(int version, long layoutId, int count, int metadataLength) {
        /** Exact file length the header implies; long because a hostile count can overflow an int. */
        long totalLength() {
            return WeightFile.HEADER_BYTES + (long) metadataLength + 4L * count + WeightFile.CHECKSUM_BYTES;
        }
    }

    private WeightParser() {
    }

    /** Checks magic and version, then that the header is complete; {@code length} bytes of {@code b} exist. */
    static Header header(byte[] b, int length) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = WeightFile.MAGIC.getBytes(StandardCharsets.US_ASCII);
        // Magic and version are checked on whatever prefix exists: "not a weight file" beats "truncated".
        for (int i = 0; i < Math.min(magic.length, length); i++) {
            if (b[i] != magic[i]) {
                throw new WeightFormatException(Problem.BAD_MAGIC, "not a weight file: expected magic \""
                        + WeightFile.MAGIC + "\" (" + Hex.of(magic, 0, magic.length, " ") + "), found "
                        + Hex.of(b, 0, Math.min(magic.length, length), " "));
            }
        }
        if (length >= 8 && buf.getInt(4) != WeightFile.FORMAT_VERSION
                && buf.getInt(4) != WeightFile.LEGACY_MELU_VERSION) {
            throw new WeightFormatException(Problem.UNSUPPORTED_VERSION, "unsupported weight format version: expected "
                    + WeightFile.FORMAT_VERSION + " (or legacy " + WeightFile.LEGACY_MELU_VERSION + "), found "
                    + buf.getInt(4));
        }
        if (length < WeightFile.HEADER_BYTES) {
            throw truncated(WeightFile.HEADER_BYTES, length, " (header)");
        }
        Header h = new Header(buf.getInt(4), buf.getLong(8), buf.getInt(16), buf.getInt(20));
        if (h.count() < 0) {
            throw new WeightFormatException(Problem.ELEMENT_COUNT, "element count must be >= 0, found " + h.count());
        }
        if (h.metadataLength() < 0 || h.metadataLength() > WeightFile.MAX_METADATA_BYTES) {
            throw new WeightFormatException(Problem.METADATA, "metadata length must be in [0, "
                    + WeightFile.MAX_METADATA_BYTES + "] bytes, found " + h.metadataLength());
        }
        return h;
    }

    /** Layout id first: a file for another model is the likelier and more useful diagnosis than a count. */
    static void checkLayout(Header h, ParamLayout expected) {
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

    /** Decodes a complete file held in {@code b}; {@code expected} may be null to accept any layout. */
    static Weights parse(byte[] b, ParamLayout expected) {
        Header h = checkedHeader(b, expected);
        long total = h.totalLength();
        int crcOffset = (int) total - WeightFile.CHECKSUM_BYTES;
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int stored = buf.getInt(crcOffset);
        int computed = crc(b, crcOffset);
        if (stored != computed) {
            throw new WeightFormatException(Problem.CHECKSUM, String.format(
                    "checksum mismatch: stored CRC32C 0x%08x, computed 0x%08x; the file is corrupt", stored, computed));
        }
        Map<String, String> metadata = familyChecked(h, MetadataJson.decode(b, WeightFile.HEADER_BYTES,
                h.metadataLength()), expected);
        float[] params = new float[h.count()];
        ((Buffer) buf).position(WeightFile.HEADER_BYTES + h.metadataLength()); // Buffer's: see WeightFile
        buf.asFloatBuffer().get(params);
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new WeightFormatException(Problem.NON_FINITE,
                        describe(expected, i) + " must be finite, found " + params[i]);
            }
        }
        return Weights.adopt(h.layoutId(), params, metadata); // params is ours alone: no copy
    }

    /**
     * Header, layout, exact length and metadata of a file held in {@code b}, without the checksum or the
     * parameters: what a receiver needs to authenticate the bytes before it spends a full decode on them.
     */
    static Map<String, String> metadata(byte[] b, ParamLayout expected) {
        Header h = checkedHeader(b, expected);
        return familyChecked(h, MetadataJson.decode(b, WeightFile.HEADER_BYTES, h.metadataLength()), expected);
    }

    /** The header of {@code b}, checked against {@code expected} (unless null) and against the bytes present. */
    private static Header checkedHeader(byte[] b, ParamLayout expected) {
        return checkedHeader(b, b.length, expected);
    }

    /**
     * The header of a file of {@code fileLength} bytes whose first bytes {@code prefix} holds (all of them when the
     * file is shorter than a header), checked against {@code expected} (unless null) and against that length.
     */
    static Header checkedHeader(byte[] prefix, long fileLength, ParamLayout expected) {
        Header h = header(prefix, (int) Math.min(prefix.length, fileLength));
        if (expected != null) {
            checkLayout(h, expected);
        }
        long total = h.totalLength();
        if (fileLength < total) {
            throw truncated(total, fileLength, "");
        }
        if (fileLength > total) {
            throw new WeightFormatException(Problem.TRAILING_BYTES, "weight file has trailing bytes: expected "
                    + total + " bytes, found " + fileLength);
        }
        return h;
    }

    /**
     * {@link #metadata(byte[], ParamLayout)} of a file of {@code fileLength} bytes from its first bytes: header and
     * metadata block at least, once {@link #checkedHeader(byte[], long, ParamLayout)} has passed.
     */
    static Map<String, String> metadata(byte[] prefix, long fileLength, ParamLayout expected) {
        Header h = checkedHeader(prefix, fileLength, expected);
        if (prefix.length < WeightFile.HEADER_BYTES + h.metadataLength()) {
            throw new IllegalArgumentException("prefix must hold the header and the metadata block ("
                    + (WeightFile.HEADER_BYTES + h.metadataLength()) + " bytes), found " + prefix.length);
        }
        return familyChecked(h, MetadataJson.decode(prefix, WeightFile.HEADER_BYTES, h.metadataLength()), expected);
    }

    /** The family a valid file holds; see {@link WeightFile#modelFamily(byte[])}. */
    static String family(byte[] b) {
        parse(b, null); // every check first: a damaged file has no family to report
        Header h = header(b, b.length);
        if (h.version() == WeightFile.LEGACY_MELU_VERSION) {
            return ModelConfig.FAMILY;
        }
        return MetadataJson.decode(b, WeightFile.HEADER_BYTES, h.metadataLength()).get(WeightMetadata.MODEL_FAMILY);
    }

    /**
     * Version 2 names the model family in its metadata, and it must be the expected layout's; the key is format
     * data, checked here and not returned. A version-1 file is migrated on read: it can only hold a MeLU model.
     */
    private static Map<String, String> familyChecked(Header h, Map<String, String> metadata, ParamLayout expected) {
        if (h.version() == WeightFile.LEGACY_MELU_VERSION) {
            return metadata;
        }
        String family = metadata.get(WeightMetadata.MODEL_FAMILY);
        if (family == null) {
            throw new WeightFormatException(Problem.METADATA, "weight format v" + h.version() + " metadata must name '"
                    + WeightMetadata.MODEL_FAMILY + "', found keys " + metadata.keySet());
        }
        if (expected != null && !family.equals(expected.spec().family())) {
            throw new WeightFormatException(Problem.LAYOUT_MISMATCH, "model family mismatch: expected "
                    + expected.spec().family() + ", found " + family);
        }
        Map<String, String> rest = new java.util.TreeMap<>(metadata);
        rest.remove(WeightMetadata.MODEL_FAMILY);
        return rest;
    }

    static int crc(byte[] b, int length) {
        return Crc32c.of(b, length);
    }

    /** {@code params[i]}, with the tensor and its coordinates when the layout is known: "params[7] (emb.g[1,3])". */
    static String describe(ParamLayout layout, int i) {
        String base = "params[" + i + "]";
        if (layout == null) {
            return base;
        }
        for (TensorSlot s : layout.slots()) {
            if (i >= s.offset() && i < s.end()) {
                int local = i - s.offset();
                String at = s.shape().length == 2 ? local / s.cols() + "," + local % s.cols() : String.valueOf(local);
                return base + " (" + s.name() + "[" + at + "])";
            }
        }
        return base;
    }

    static String hexId(long id) {
        return String.format("0x%016x", id);
    }

    static WeightFormatException truncated(long expected, long found, String where) {
        return new WeightFormatException(Problem.TRUNCATED, "weight file truncated" + where + ": expected "
                + expected + " bytes, found " + found);
    }
}
