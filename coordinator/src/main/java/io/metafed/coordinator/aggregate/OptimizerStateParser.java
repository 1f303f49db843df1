package io.metafed.coordinator.aggregate;

import io.metafed.coordinator.aggregate.OptimizerStateFile.Kind;
import io.metafed.model.Checks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Validation and decoding of the layout described in {@link OptimizerStateFile}, in this order: magic, format
 * version, complete header, kind, parameter count, model version, steps; then (by the caller) the exact length;
 * then the CRC32C; then the values. Every error names the file and what was expected and found.
 */
final class OptimizerStateParser {
    /** The fixed-size fields in front of the arrays, already checked against the expectations. */
    record Header(Kind kind, int count, long modelVersion, long steps) {
    }

    private final String source;
    private final long expectedModelVersion;
    private final int expectedSize;

    OptimizerStateParser(String source, long expectedModelVersion, int expectedSize) {
        this.source = source;
        this.expectedModelVersion = expectedModelVersion;
        this.expectedSize = Checks.positive(expectedSize, "expectedSize");
    }

    /** Checks the first {@code head.length} bytes (at most the header); magic and version go first, as on a prefix. */
    Header header(byte[] head) {
        byte[] magic = OptimizerStateFile.MAGIC.getBytes(StandardCharsets.US_ASCII);
        int prefix = Math.min(magic.length, head.length);
        for (int i = 0; i < prefix; i++) {
            if (head[i] != magic[i]) {
                HexFormat hex = HexFormat.ofDelimiter(" ");
                throw bad("not an optimizer state file: expected magic \"" + OptimizerStateFile.MAGIC + "\" ("
                        + hex.formatHex(magic) + "), found " + hex.formatHex(head, 0, prefix));
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length >= 8 && buf.getInt(4) != OptimizerStateFile.FORMAT_VERSION) {
            throw bad("unsupported format version: expected " + OptimizerStateFile.FORMAT_VERSION + ", found "
                    + buf.getInt(4));
        }
        if (head.length < OptimizerStateFile.HEADER_BYTES) {
            throw bad("truncated header: expected " + OptimizerStateFile.HEADER_BYTES + " bytes, found " + head.length);
        }
        Kind kind = kind(buf.getInt(8));
        int count = buf.getInt(12);
        if (count != expectedSize) {
            throw bad("parameter count mismatch: expected " + expectedSize + ", found " + count);
        }
        long version = buf.getLong(16);
        if (version != expectedModelVersion) {
            throw bad("model version mismatch: expected " + expectedModelVersion + ", found " + version);
        }
        long steps = buf.getLong(24);
        if (steps < 0 || (kind == Kind.MOMENTUM && steps != 0)) {
            throw bad("steps must be " + (kind == Kind.MOMENTUM ? "0 for momentum" : ">= 0") + ", found " + steps);
        }
        return new Header(kind, count, version, steps);
    }

    /** Decodes a complete file of exactly the length {@code h} implies. */
    OptimizerState body(byte[] all, Header h) {
        int crcOffset = all.length - OptimizerStateFile.CHECKSUM_BYTES;
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int stored = buf.getInt(crcOffset);
        int computed = crc(all, crcOffset);
        if (stored != computed) {
            throw bad(String.format("checksum mismatch: stored CRC32C 0x%08x, computed 0x%08x; the file is corrupt",
                    stored, computed));
        }
        buf.position(OptimizerStateFile.HEADER_BYTES);
        double[][] arrays = new double[h.kind().arrays.size()][h.count()];
        for (int a = 0; a < arrays.length; a++) {
            for (int j = 0; j < h.count(); j++) {
                double x = buf.getDouble();
                // Adam's v is a running mean of squares: negative means the file, not the math, is wrong.
                if (!Double.isFinite(x) || (h.kind() == Kind.ADAM && a == 1 && x < 0)) {
                    throw bad(h.kind().name + " " + h.kind().arrays.get(a) + "[" + j + "] must be finite"
                            + (a == 1 ? " and >= 0" : "") + ", found " + x);
                }
                arrays[a][j] = x;
            }
        }
        return switch (h.kind()) {
            case MOMENTUM -> new Momentum.State(arrays[0]);
            case ADAM -> new Adam.State(arrays[0], arrays[1], h.steps());
        };
    }

    IllegalArgumentException bad(String detail) {
        return new IllegalArgumentException("optimizer state file " + source + ": " + detail);
    }

    static int crc(byte[] b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, length);
        return (int) crc.getValue();
    }

    private Kind kind(int code) {
        for (Kind k : Kind.values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw bad("unknown optimizer kind: expected 1 (momentum) or 2 (adam), found " + code);
    }
}
