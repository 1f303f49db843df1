package io.metafed.coordinator.server.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.Weights;
import io.metafed.model.fuzz.Mutator;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkWeightFile} is a second reader of the weight format, for network buffers; it must give the
 * verdict of {@link WeightFile}'s own reader on every input: the same values, or a {@link WeightFormatException}
 * with the same problem and message. Checked on seeded mutants of valid files (half of them with the CRC
 * recomputed, so the checks behind the checksum are reached), each split into a composite buffer at random
 * points, as TLS records split a request, in heap and direct memory and behind a non-zero reader index.
 */
class NetworkWeightFileTest {
    private static final ParamLayout LAYOUT = ParamLayout.of(TinyModels.tinyConfig());
    private static final int MUTANTS = 20_000;

    private static float[] params() {
        float[] p = new float[LAYOUT.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.sin(i) * (i % 7 == 0 ? 1e-30f : 3f);
        }
        return p;
    }

    private static List<byte[]> seeds() {
        return List.of(WeightFile.write(LAYOUT, params(), Map.of("client", "c-1", "round", "12", "weight", "3.5",
                        "note", "ünïcödé <&>\"")),
                WeightFile.write(LAYOUT, new float[LAYOUT.size()], Map.of()));
    }

    /** Recomputes the trailing CRC32C over everything before it. */
    private static byte[] reseal(byte[] b) {
        if (b.length >= 4) {
            CRC32C crc = new CRC32C();
            crc.update(b, 0, b.length - 4);
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        }
        return b;
    }

    /**
     * {@code bytes} as a composite of 1–6 components cut at random points, heap or direct, after a few bytes
     * of other data that the reader index skips.
     */
    private static ByteBuf split(byte[] bytes, SplittableRandom random) {
        boolean direct = random.nextBoolean();
        CompositeByteBuf composite = Unpooled.compositeBuffer(16);
        int skip = random.nextInt(3);
        composite.addComponent(true, copy(new byte[skip], direct));
        int cuts = random.nextInt(6);
        int[] at = new int[cuts + 2];
        at[cuts + 1] = bytes.length;
        for (int i = 1; i <= cuts; i++) {
            at[i] = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
        }
        java.util.Arrays.sort(at);
        for (int i = 0; i + 1 < at.length; i++) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, at[i], at[i + 1]);
            composite.addComponent(true, copy(piece, direct));
        }
        composite.readerIndex(skip);
        return composite;
    }

    private static ByteBuf copy(byte[] b, boolean direct) {
        ByteBuf buf = direct ? Unpooled.directBuffer(Math.max(1, b.length)) : Unpooled.buffer(Math.max(1, b.length));
        return buf.writeBytes(b);
    }

    /** What a reader did with an input: its values, or its refusal. */
    private record Verdict(Weights weights, Map<String, String> metadata, WeightFormatException.Problem problem,
            String message) {
        static Verdict of(Supplier<Verdict> read) {
            try {
                return read.get();
            } catch (WeightFormatException e) {
                return new Verdict(null, null, e.problem(), e.getMessage());
            }
        }
    }

    private static void assertSameVerdict(byte[] input, SplittableRandom random) {
        Verdict expected = Verdict.of(() -> new Verdict(WeightFile.read(input, LAYOUT), null, null, null));
        Verdict expectedMeta = Verdict.of(() -> new Verdict(null, WeightFile.readMetadata(input, LAYOUT), null,
                null));
        ByteBuf buf = split(input, random);
        try {
            Verdict actual;
            Verdict actualMeta;
            try {
                actual = Verdict.of(() -> {
                    NetworkWeightFile.Decoded d = NetworkWeightFile.read(buf, LAYOUT);
                    return new Verdict(new Weights(d.layoutId(), d.params(), d.metadata()), null, null, null);
                });
                actualMeta = Verdict.of(() -> new Verdict(null, NetworkWeightFile.readMetadata(buf, LAYOUT), null,
                        null));
            } catch (RuntimeException e) {
                fail("threw " + e + " for input " + HexFormat.of().formatHex(input), e);
                return;
            }
            String where = "input " + HexFormat.of().formatHex(input);
            assertEquals(expected, actual, where);
            assertEquals(expectedMeta, actualMeta, where);
        } finally {
            buf.release();
        }
    }

    @Test
    void read_validFileSplitAtEveryOffset_sameWeightsAsWeightFile() {
        byte[] file = seeds().get(0);
        Weights expected = WeightFile.read(file, LAYOUT);
        for (int cut = 0; cut <= file.length; cut++) {
            for (boolean direct : new boolean[] {false, true}) {
                CompositeByteBuf buf = Unpooled.compositeBuffer();
                buf.addComponent(true, copy(java.util.Arrays.copyOfRange(file, 0, cut), direct));
                buf.addComponent(true, copy(java.util.Arrays.copyOfRange(file, cut, file.length), direct));
                try {
                    NetworkWeightFile.Decoded d = NetworkWeightFile.read(buf, LAYOUT);
                    assertArrayEquals(expected.params(), d.params(), "cut at " + cut);
                    assertEquals(expected.metadata(), d.metadata(), "cut at " + cut);
                    assertEquals(expected.layoutId(), d.layoutId());
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void read_seededMutants_sameVerdictAsWeightFile() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Mutator mutator = new Mutator(0x0e7_f11eL, seeds(), 4, 16, 20);
            SplittableRandom random = new SplittableRandom(0x5b1_17L);
            int accepted = 0;
            for (int i = 0; i < MUTANTS; i++) {
                byte[] mutant = mutator.next();
                if (random.nextBoolean()) {
                    reseal(mutant);
                }
                assertSameVerdict(mutant, random);
                accepted += Verdict.of(() -> new Verdict(WeightFile.read(mutant, LAYOUT), null, null, null))
                        .weights() != null ? 1 : 0;
            }
            // The mutants must reach past the checksum sometimes, or the float path is not compared at all.
            assertTrue(accepted > 0, "no mutant decoded: the comparison never reached the parameters");
        });
    }

    @Test
    void read_nonFiniteParameter_sameMessageAsWeightFile() {
        byte[] file = seeds().get(0);
        int at = file.length - 4 - 4 * 3; // the third-last parameter
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        reseal(file);
        assertSameVerdict(file, new SplittableRandom(1));
        WeightFormatException e = org.junit.jupiter.api.Assertions.assertThrows(WeightFormatException.class,
                () -> NetworkWeightFile.read(Unpooled.wrappedBuffer(file), LAYOUT));
        assertEquals(WeightFormatException.Problem.NON_FINITE, e.problem());
    }
}
