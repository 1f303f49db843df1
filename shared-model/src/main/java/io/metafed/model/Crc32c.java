package io.metafed.model;

import java.util.zip.Checksum;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the weight, masked-input and store
 * formats. Written out because {@code java.util.zip.CRC32C} (Java 9) is missing from Android, where the same
 * files must be read and written; a test holds it equal to the JDK's class. Table-driven, one byte at a time:
 * the checked files are at most a few hundred KB. Not thread-safe, like the JDK's checksums.
 */
public final class Crc32c implements Checksum {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private int crc = 0xFFFFFFFF;

    /** The CRC-32C of {@code length} bytes of {@code b} from offset 0, as the unsigned 32 bits in an int. */
    public static int of(byte[] b, int length) {
        Crc32c c = new Crc32c();
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    @Override
    public void update(int b) {
        crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
    }

    @Override
    public void update(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + off + " + " + len + ") must lie in [0, "
                    + b.length + ")");
        }
        int c = crc;
        for (int i = off, end = off + len; i < end; i++) {
            c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xFF];
        }
        crc = c;
    }

    @Override
    public long getValue() {
        return ~crc & 0xFFFFFFFFL;
    }

    @Override
    public void reset() {
        crc = 0xFFFFFFFF;
    }
}
