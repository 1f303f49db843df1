package io.metafed.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metafed.model.fuzz.Mutator;
import io.metafed.model.nn.ParamLayout;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the weight-file readers: every mutant either decodes to a valid {@link Weights}
 * or is refused with a {@link WeightFormatException} carrying a message; nothing else escapes and nothing hangs.
 * Half of the mutants get their CRC32C recomputed so the checks behind the checksum are reached too.
 */
class WeightFileFuzzTest {
    private static final ParamLayout LAYOUT = WeightFileTest.LAYOUT;
    private static final int BATCHES = 20;
    private static final int PER_BATCH = 2_500;

    private static List<byte[]> seeds() {
        float[] p = WeightFileTest.params(LAYOUT);
        return List.of(WeightFile.write(LAYOUT, p, WeightFileTest.META),
                WeightFile.write(LAYOUT, new float[LAYOUT.size()], Map.of()),
                WeightFile.write(LAYOUT, p, Map.of("k", "v", "round", "3")));
    }

    /** Recomputes the trailing CRC32C over everything before it. */
    static byte[] reseal(byte[] b) {
        if (b.length >= 4) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, WeightParser.crc(b, b.length - 4));
        }
        return b;
    }

    private static void checkValid(Weights w, ParamLayout expected) {
        assertNotNull(w);
        if (expected != null) {
            assertEquals(expected.id(), w.layoutId());
            assertEquals(expected.size(), w.size());
        }
        for (float f : w.params()) {
            assertTrue(Float.isFinite(f), "decoded a non-finite parameter");
        }
        w.metadata().forEach((k, v) -> assertTrue(k != null && v != null));
    }

    /** Runs {@code decode} on {@code input}; returns the result or null when refused the documented way. */
    private static Weights attempt(String what, byte[] input, ThrowingDecoder decode) {
        try {
            return decode.decode(input);
        } catch (WeightFormatException e) {
            assertNotNull(e.problem());
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "refusal without a message");
            return null;
        } catch (Throwable t) {
            return fail(what + " threw " + t + " for input " + HexFormat.of().formatHex(input), t);
        }
    }

    @FunctionalInterface
    private interface ThrowingDecoder {
        Weights decode(byte[] b) throws Exception;
    }

    /**
     * Seed 0x5eed_f11e, 50,000 mutants (20 batches of 2,500, each under a 60 s preemptive timeout); each mutant
     * goes through {@code read(byte[], layout)}, {@code read(InputStream, layout)} and {@code readAnyLayout}.
     */
    @Test
    void weightFileReaders_mutatedFiles_decodeValidOrRejectWithWeightFormatException() {
        Mutator mutator = new Mutator(0x5eed_f11eL, seeds(), WeightFile.HEADER_BYTES - 8,
                WeightFile.HEADER_BYTES - 4, 4, 8, 12);
        int[] decoded = new int[1];
        for (int batch = 0; batch < BATCHES; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < PER_BATCH; i++) {
                    byte[] input = mutator.next();
                    if (mutator.random().nextBoolean()) {
                        reseal(input);
                    }
                    Weights fromBytes = attempt("read(byte[])", input, b -> WeightFile.read(b, LAYOUT));
                    Weights fromStream = attempt("read(InputStream)", input,
                            b -> WeightFile.read(new ByteArrayInputStream(b), LAYOUT));
                    Weights any = attempt("readAnyLayout", input, WeightFile::readAnyLayout);
                    if (fromBytes != null) {
                        checkValid(fromBytes, LAYOUT);
                        decoded[0]++;
                    }
                    if (any != null) {
                        checkValid(any, null);
                    }
                    assertEquals(fromBytes, fromStream, "byte and stream readers disagree");
                    if (fromBytes != null) {
                        assertEquals(fromBytes, any);
                        assertArrayEquals(fromBytes.params(), any.params());
                    }
                }
            });
        }
        assertTrue(decoded[0] > 0, "no mutant decoded: the fuzzer only exercised the first checks");
    }
}
