package io.metafed.model.protocol;

import io.metafed.model.Crc32c;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Body of {@code POST /v1/secagg/masked}: one masked input y_u, little-endian throughout.
 * <pre>
 * 0   magic "MFSM" (4 bytes ASCII)
 * 4   version (1 byte) = 1, then 3 zero bytes
 * 8   round id (int32)
 * 12  secure-aggregation index of the sender (int32, 1..n)
 * 16  dimension d (int32)
 * 20  d words y_u mod 2^32 (int32 each)
 * 20+4d  CRC32C of bytes [0, 20+4d) (uint32)
 * </pre>
 * {@link #decode} checks the header against the expected dimension before allocating, so a claimed length can
 * never make the server allocate more than the round's own size.
 */
public final class MaskedInputFormat {
    public static final int VERSION = 1;
    static final byte[] MAGIC = "MFSM".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = 20;
    static final int TRAILER_BYTES = 4;

    /** A decoded masked input. */
    public record Masked(int roundId, int index, int[] words) {
        public Masked {
            words = words.clone();
        }

        @Override
        public int[] words() {
            return words.clone();
        }
    }

    /** Thrown for any body that is not a well-formed masked input of the expected dimension. */
    public static final class FormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    private MaskedInputFormat() {
    }

    /** Bytes of an encoded input of {@code dimension} words. */
    public static int size(int dimension) {
        return HEADER_BYTES + 4 * dimension + TRAILER_BYTES;
    }

    public static byte[] encode(int roundId, int index, int[] words) {
        ByteBuffer b = ByteBuffer.allocate(size(words.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) VERSION).put(new byte[3]).putInt(roundId).putInt(index).putInt(words.length);
        for (int w : words) {
            b.putInt(w);
        }
        b.putInt((int) crc(b.array(), b.position()));
        return b.array();
    }

    /** @throws FormatException naming the first problem: length, magic, version, dimension or checksum */
    public static Masked decode(byte[] body, int expectedDimension) {
        if (body.length < HEADER_BYTES + TRAILER_BYTES) {
            throw new FormatException("masked input must be at least " + (HEADER_BYTES + TRAILER_BYTES)
                    + " bytes, found " + body.length);
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) { // ranged Arrays.equals is Java 9, not on Android
            throw new FormatException("masked input must start with magic \"MFSM\"");
        }
        int version = body[4] & 0xff;
        if (version != VERSION || body[5] != 0 || body[6] != 0 || body[7] != 0) {
            throw new FormatException("masked input version must be " + VERSION + " with zero reserved bytes, found "
                    + version);
        }
        int roundId = b.getInt(8);
        int index = b.getInt(12);
        int dimension = b.getInt(16);
        if (dimension != expectedDimension) {
            throw new FormatException("masked input dimension must be " + expectedDimension + ", found " + dimension);
        }
        if (body.length != size(dimension)) {
            throw new FormatException("masked input of dimension " + dimension + " must be " + size(dimension)
                    + " bytes, found " + body.length);
        }
        int end = HEADER_BYTES + 4 * dimension;
        if ((int) crc(body, end) != b.getInt(end)) {
            throw new FormatException("masked input checksum (CRC32C) does not match its content");
        }
        int[] words = new int[dimension];
        ((Buffer) b).position(HEADER_BYTES); // Buffer's: ByteBuffer's covariant override is absent on Android
        b.asIntBuffer().get(words);
        return new Masked(roundId, index, words);
    }

    private static long crc(byte[] bytes, int length) {
        return Crc32c.of(bytes, length) & 0xFFFFFFFFL;
    }
}
