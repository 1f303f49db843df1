package io.metafed.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The hand-written CRC-32C and hex, used where Android lacks the JDK's, agree with the JDK's classes. */
class AndroidCompatHelpersTest {
    @Test
    void crc32cMatchesTheStandardCheckValueAndTheJdk() {
        // The check value of CRC-32C (RFC 3720, appendix B.4): "123456789" -> 0xE3069283.
        assertEquals(0xE3069283, Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII), 9));
        SplittableRandom random = new SplittableRandom(13);
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = new byte[random.nextInt(0, 5000)];
            random.nextBytes(b);
            int off = b.length == 0 ? 0 : random.nextInt(0, b.length);
            int len = random.nextInt(0, b.length - off + 1);
            CRC32C jdk = new CRC32C();
            jdk.update(b, off, len);
            Crc32c ours = new Crc32c();
            ours.update(b, off, len);
            assertEquals(jdk.getValue(), ours.getValue(), "trial " + trial);
            ours.reset();
            jdk.reset();
            for (int i = 0; i < Math.min(len, 50); i++) {
                ours.update(b[off + i]);
                jdk.update(b[off + i]);
            }
            assertEquals(jdk.getValue(), ours.getValue(), "byte-wise, trial " + trial);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> new Crc32c().update(new byte[4], 2, 3));
    }

    @Test
    void crc32cOf_onAJdkRuntime_usesTheJdkClassAndAgreesWithTheTable() {
        assertTrue(Crc32c.usesJdk(), "a Java 17 runtime has java.util.zip.CRC32C");
        assertTrue(Crc32c.create() instanceof CRC32C, Crc32c.create().getClass().getName());
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 100; trial++) {
            byte[] b = new byte[random.nextInt(0, 100_000)];
            random.nextBytes(b);
            int len = random.nextInt(0, b.length + 1);
            Crc32c table = new Crc32c();
            table.update(b, 0, len);
            assertEquals((int) table.getValue(), Crc32c.of(b, len), "trial " + trial);
        }
    }

    @Test
    void hexMatchesTheJdk() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] b = new byte[300];
        random.nextBytes(b);
        assertEquals(HexFormat.of().formatHex(b), Hex.of(b));
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(b, 3, 11), Hex.of(b, 3, 11, " "));
        assertEquals("", Hex.of(new byte[0]));
        assertThrows(IndexOutOfBoundsException.class, () -> Hex.of(b, 5, 301, ""));
    }
}
