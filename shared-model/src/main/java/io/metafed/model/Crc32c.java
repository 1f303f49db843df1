package io.metafed.model;

import java.util.zip.Checksum;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the weight, masked-input and store
 * formats. Written out because {@code java.util.zip.CRC32C} (Java 9) is missing from Android, where the same
 * files must be read and written; a test holds it equal to the JDK's class. Table-driven, one byte at a time.
 * {@link #of} and {@link #create} use the JDK's class where the runtime has it (every server JVM): HotSpot compiles
 * it to the CPU's CRC32 instructions, some 50× faster than the table, and the coordinator checks the checksum of
 * every 75 KB update it receives (it was the largest single cost of ingestion in a profile). Not thread-safe, like
 * the JDK's checksums.
 */
public final class Crc32c implements Checksum {
    private static final int[] TABLE = new int[256];
    /** {@code java.util.zip.CRC32C}'s constructor, looked up by name so device builds need no Java 9 API; or null. */
    private static final java.lang.reflect.Constructor<?> JDK = jdkConstructor();

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
        Checksum c = create();
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    /** A fresh CRC-32C: the JDK's where the runtime has one (intrinsic), else this table-driven one. */
    public static Checksum create() {
        if (JDK != null) {
            try {
                return (Checksum) JDK.newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Crc32c(); // cannot happen once the lookup succeeded; the table gives the same value
            }
        }
        return new Crc32c();
    }

    /** Whether {@link #create} hands out the JDK's implementation on this runtime. */
    public static boolean usesJdk() {
        return JDK != null;
    }

    private static java.lang.reflect.Constructor<?> jdkConstructor() {
        try {
            java.lang.reflect.Constructor<?> c = Class.forName("java.util.zip.CRC32C").getConstructor();
            return Checksum.class.isAssignableFrom(c.getDeclaringClass()) ? c : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // Android before API 34: the table below
        }
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
