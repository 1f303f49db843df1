package io.metafed.model.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Round trip, known layout and the refusals of {@link MaskedInputFormat}. */
class MaskedInputFormatTest {
    private static final int[] WORDS = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42};

    @Test
    void encodeDecode_roundTrip_sameFields() {
        MaskedInputFormat.Masked m = MaskedInputFormat.decode(MaskedInputFormat.encode(7, 3, WORDS), WORDS.length);
        assertEquals(7, m.roundId());
        assertEquals(3, m.index());
        assertArrayEquals(WORDS, m.words());
    }

    @Test
    void encode_layout_headerLittleEndianWordsThenChecksum() {
        byte[] b = MaskedInputFormat.encode(1, 2, new int[] {0x01020304});
        assertEquals(MaskedInputFormat.size(1), b.length);
        assertArrayEquals(new byte[] {'M', 'F', 'S', 'M', 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 3, 2, 1},
                Arrays.copyOf(b, 24));
    }

    @Test
    void decode_wrongDimension_refusedBeforeAllocating() {
        byte[] b = MaskedInputFormat.encode(1, 2, WORDS);
        var e = assertThrows(MaskedInputFormat.FormatException.class, () -> MaskedInputFormat.decode(b, 4));
        assertTrue(e.getMessage().contains("dimension must be 4, found 5"), e.getMessage());
    }

    @Test
    void decode_flippedWordOrTruncatedOrBadMagic_refused() {
        byte[] b = MaskedInputFormat.encode(1, 2, WORDS);
        byte[] flipped = b.clone();
        flipped[25] ^= 1;
        assertThrows(MaskedInputFormat.FormatException.class, () -> MaskedInputFormat.decode(flipped, WORDS.length));
        assertThrows(MaskedInputFormat.FormatException.class,
                () -> MaskedInputFormat.decode(Arrays.copyOf(b, b.length - 1), WORDS.length));
        byte[] magic = b.clone();
        magic[0] = 'X';
        assertThrows(MaskedInputFormat.FormatException.class, () -> MaskedInputFormat.decode(magic, WORDS.length));
        byte[] version = b.clone();
        version[4] = 2;
        assertThrows(MaskedInputFormat.FormatException.class, () -> MaskedInputFormat.decode(version, WORDS.length));
        assertThrows(MaskedInputFormat.FormatException.class, () -> MaskedInputFormat.decode(new byte[3], 1));
    }
}
