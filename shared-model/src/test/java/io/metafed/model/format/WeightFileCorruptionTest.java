package io.metafed.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.WeightFormatException.Problem;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each rejection path of the reader, reached by a targeted corruption of a valid file. */
class WeightFileCorruptionTest {
    private static final ParamLayout LAYOUT = WeightFileTest.LAYOUT;
    private static final int COUNT_AT = 16;
    private static final int META_LENGTH_AT = 20;

    private static byte[] valid() {
        return WeightFile.write(LAYOUT, WeightFileTest.params(LAYOUT), WeightFileTest.META);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Recomputes the trailing CRC so a crafted change reaches the checks behind the checksum. */
    private static byte[] reseal(byte[] b) {
        le(b).putInt(b.length - 4, WeightParser.crc(b, b.length - 4));
        return b;
    }

    private static int paramsAt(byte[] b) {
        return 24 + le(b).getInt(META_LENGTH_AT);
    }

    /** Asserts that reading from bytes and from a stream both fail with {@code problem}; returns the message. */
    private static String rejects(Problem problem, byte[] file) {
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> WeightFile.read(file, LAYOUT));
        assertEquals(problem, e.problem(), e.getMessage());
        WeightFormatException s = assertThrows(WeightFormatException.class,
                () -> WeightFile.read(new ByteArrayInputStream(file), LAYOUT));
        assertEquals(problem, s.problem(), s.getMessage());
        return e.getMessage();
    }

    @Test
    void read_flippedMagic_rejectsAsBadMagic() {
        byte[] b = valid();
        b[0] = 'P';
        assertTrue(rejects(Problem.BAD_MAGIC, b).contains("expected magic \"MFWT\" (4d 46 57 54), found 50 46 57 54"));
    }

    @Test
    void read_shortNonWeightFile_rejectsAsBadMagicNotTruncated() {
        rejects(Problem.BAD_MAGIC, "{}\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void read_version3_rejectsNamingExpectedAndFound() {
        byte[] b = valid();
        le(b).putInt(4, 3);
        assertTrue(rejects(Problem.UNSUPPORTED_VERSION, reseal(b)).contains("expected 2 (or legacy 1), found 3"));
    }

    @Test
    void read_otherLayout_rejectsWithBothIdsInHex() {
        ParamLayout other = ParamLayout.of(new ModelConfig(TinyModels.tinyConfig().schema(), 3, List.of(2)));
        String m = rejects(Problem.LAYOUT_MISMATCH, WeightFile.write(other, WeightFileTest.params(other), Map.of()));
        assertTrue(m.contains(String.format("expected 0x%016x", LAYOUT.id())), m);
        assertTrue(m.contains(String.format("found 0x%016x", other.id())), m);
    }

    @Test
    void read_countNotLayoutSize_rejectsNamingBoth() {
        byte[] b = valid();
        le(b).putInt(COUNT_AT, LAYOUT.size() + 1);
        assertTrue(rejects(Problem.ELEMENT_COUNT, b).contains("expected " + LAYOUT.size() + ", found "
                + (LAYOUT.size() + 1)));
    }

    @Test
    void read_hugeOrNegativeCount_rejectsBeforeAllocating() {
        byte[] b = valid();
        le(b).putInt(COUNT_AT, Integer.MAX_VALUE);
        rejects(Problem.ELEMENT_COUNT, b);
        // Without a layout the claim is checked against the bytes actually present.
        assertEquals(Problem.TRUNCATED, assertThrows(WeightFormatException.class,
                () -> WeightFile.readAnyLayout(b)).problem());
        le(b).putInt(COUNT_AT, -1);
        assertEquals(Problem.ELEMENT_COUNT, assertThrows(WeightFormatException.class,
                () -> WeightFile.readAnyLayout(b)).problem());
    }

    @Test
    void read_metadataLengthOverCapOrNegative_rejects() {
        byte[] b = valid();
        le(b).putInt(META_LENGTH_AT, WeightFile.MAX_METADATA_BYTES + 1);
        assertTrue(rejects(Problem.METADATA, b).contains("found " + (WeightFile.MAX_METADATA_BYTES + 1)));
        le(b).putInt(META_LENGTH_AT, -5);
        rejects(Problem.METADATA, b);
    }

    @Test
    void read_truncatedAnywhere_rejectsAsTruncated() {
        byte[] b = valid();
        int p = paramsAt(b);
        for (int cut : new int[] {0, 3, 4, 10, 23, 24, 30, p, p + 1, b.length - 4, b.length - 1}) {
            String m = rejects(Problem.TRUNCATED, Arrays.copyOf(b, cut));
            assertTrue(m.contains("found " + cut), "cut at " + cut + ": " + m);
        }
    }

    @Test
    void read_extraByte_rejectsAsTrailingBytes() {
        byte[] b = valid();
        assertTrue(rejects(Problem.TRAILING_BYTES, Arrays.copyOf(b, b.length + 1)).contains(
                "expected " + b.length + " bytes, found " + (b.length + 1)));
    }

    @Test
    void read_anySingleBitFlip_isRejectedAndAfterHeaderIsChecksum() {
        byte[] good = valid();
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = good.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            Executable read = () -> WeightFile.read(b, LAYOUT);
            WeightFormatException e = assertThrows(WeightFormatException.class, read, () -> "bit " + at);
            if (bit / 8 >= 24) {
                assertEquals(Problem.CHECKSUM, e.problem(), () -> "bit " + at + ": " + e.getMessage());
            }
        }
    }

    @Test
    void read_nanWithValidChecksum_rejectsNamingIndexAndTensor() {
        int i = LAYOUT.slot("fc1.weight").offset() + 2 * 5 + 1; // row 2, column 1 of a [12 x 5] matrix
        for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY}) {
            byte[] b = valid();
            le(b).putFloat(paramsAt(b) + 4 * i, bad);
            assertEquals("params[" + i + "] (fc1.weight[2,1]) must be finite, found " + bad,
                    rejects(Problem.NON_FINITE, reseal(b)));
            assertTrue(assertThrows(WeightFormatException.class, () -> WeightFile.readAnyLayout(b))
                    .getMessage().startsWith("params[" + i + "] must be finite"));
        }
    }

    @Test
    void read_metadataNotJsonWithValidChecksum_rejectsKeepingCause() {
        byte[] b = valid();
        b[24] = '['; // the metadata opens with '{'
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> WeightFile.read(reseal(b), LAYOUT));
        assertEquals(Problem.METADATA, e.problem());
        assertNotNull(e.getCause());
    }

    @Test
    void read_metadataWithNonStringValue_rejectsAsMetadata() {
        byte[] meta = "{\"round\":12}".getBytes(StandardCharsets.UTF_8);
        byte[] b = valid();
        int p = paramsAt(b);
        ByteBuffer out = ByteBuffer.allocate(24 + meta.length + (b.length - p)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, 20).putInt(meta.length).put(meta).put(b, p, b.length - p);
        assertTrue(rejects(Problem.METADATA, reseal(out.array())).contains("'round' must be a string"));
    }

    @Test
    void read_invalidUtf8InMetadata_rejectsKeepingCause() {
        byte[] b = valid();
        b[26] = (byte) 0xC3; // a two-byte lead followed by a non-continuation byte: malformed UTF-8
        b[27] = (byte) 0x28;
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> WeightFile.read(reseal(b), LAYOUT));
        assertEquals(Problem.METADATA, e.problem(), e.getMessage());
        assertInstanceOf(java.nio.charset.CharacterCodingException.class, e.getCause());
    }
}
