package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metafed.model.fuzz.Mutator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the optimizer state reader: a resumed coordinator reads these files after a crash
 * or disk damage. Every mutant either reads back as a valid state of the expected version and size, or is
 * refused with an IllegalArgumentException naming the file; nothing else escapes and nothing hangs.
 */
class OptimizerStateFileFuzzTest {
    private static final int SIZE = 6;
    private static final long VERSION = 3;
    private static final int BATCHES = 4;
    private static final int PER_BATCH = 1_000;

    @TempDir
    Path dir;

    private static List<byte[]> seeds() {
        double[] a = {0.5, -1.25, 0, 3e-8, 7, -0.0};
        double[] b = {1e-4, 2, 0, 0.75, 9e9, 1};
        return List.of(OptimizerStateFile.encode(VERSION, new Momentum.State(a.clone())),
                OptimizerStateFile.encode(VERSION, new Adam.State(a.clone(), b.clone(), 12)));
    }

    private static void reseal(byte[] b) {
        if (b.length >= OptimizerStateFile.CHECKSUM_BYTES) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4,
                    OptimizerStateParser.crc(b, b.length - 4));
        }
    }

    private static void checkValid(OptimizerState state) {
        assertEquals(SIZE, state.size());
        double[][] arrays = state instanceof Adam.State adam
                ? new double[][] {adam.firstMoments(), adam.secondMoments()}
                : new double[][] {((Momentum.State) state).velocity()};
        for (double[] array : arrays) {
            for (double x : array) {
                assertTrue(Double.isFinite(x), "decoded a non-finite value");
            }
        }
        if (state instanceof Adam.State adam) {
            for (double v : adam.secondMoments()) {
                assertTrue(v >= 0, "decoded a negative second moment");
            }
        }
    }

    /** Seed 0x0b7f5, 4,000 mutants (4 batches of 1,000, each under a 60 s preemptive timeout), half resealed. */
    @Test
    void read_mutatedFiles_validStateOrIllegalArgumentNamingTheFile() {
        // Offsets of the int fields: format version, kind, parameter count.
        Mutator mutator = new Mutator(0x0b7f5L, seeds(), 4, 8, 12);
        Path file = dir.resolve("optimizer-000000000003.mfos");
        int[] decoded = new int[1];
        for (int batch = 0; batch < BATCHES; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < PER_BATCH; i++) {
                    byte[] input = mutator.next();
                    if (mutator.random().nextBoolean()) {
                        reseal(input);
                    }
                    Files.write(file, input);
                    try {
                        checkValid(OptimizerStateFile.read(file, VERSION, SIZE));
                        decoded[0]++;
                    } catch (IllegalArgumentException e) {
                        assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()),
                                "refusal must name the file: " + e.getMessage());
                    } catch (Throwable t) {
                        fail("read threw " + t + " for input " + HexFormat.of().formatHex(input), t);
                    }
                }
            });
        }
        assertTrue(decoded[0] > 0, "no mutant decoded: the fuzzer only exercised the first checks");
    }
}
