package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metafed.model.data.Interaction;
import io.metafed.model.fuzz.Mutator;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of interaction-store files as a crash, a bad disk or a tampering app might leave them:
 * each opens to a recovered set of the original records (still appendable) or is refused with an
 * {@link IllegalStateException} naming the file, never another exception, a hang or an out-of-memory.
 */
class InteractionStoreFuzzTest {
    private static final int USER = 7;

    @TempDir
    Path dir;

    /** Seed 0x5707e, 3,000 mutants (3 batches of 1,000 under a 60 s preemptive timeout), half with resealed CRCs. */
    @Test
    void open_mutatedFiles_recoveredRecordsOrIllegalStateNamingFile() throws Exception {
        Set<Interaction> originals = new HashSet<>();
        List<byte[]> seeds = List.of(store("a", 1, originals), store("b", 5, originals), store("c", 40, originals));
        Mutator mutator = new Mutator(0x5707eL, seeds, 4, 8);
        Path file = dir.resolve("fuzz.mfis");
        int[] outcomes = new int[2]; // opened, refused
        for (int batch = 0; batch < 3; batch++) {
            int first = batch * 1_000;
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = first; i < first + 1_000; i++) {
                    byte[] bytes = mutator.next();
                    boolean resealed = mutator.random().nextBoolean();
                    if (resealed) {
                        reseal(bytes);
                    }
                    Files.write(file, bytes);
                    outcomes[open(file, bytes, resealed, originals, i % 10 == 0) ? 0 : 1]++;
                }
            });
        }
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "both outcomes must occur: opened " + outcomes[0]
                + ", refused " + outcomes[1]);
    }

    /** Opens one mutant; true if it opened (and its records are checked), false if refused as expected. */
    private static boolean open(Path file, byte[] bytes, boolean resealed, Set<Interaction> originals,
            boolean appendAfter) {
        int size;
        try (InteractionStore store = InteractionStore.open(file, USER)) {
            List<Interaction> records = store.snapshot();
            assertTrue(records.size() <= Math.max(0, (bytes.length - InteractionStore.HEADER_BYTES)
                    / InteractionStore.RECORD_BYTES), () -> "more records than bytes: " + hex(bytes));
            if (!resealed) {
                for (Interaction r : records) {
                    assertTrue(originals.contains(r), () -> "invented record " + r + " from " + hex(bytes));
                }
            }
            size = records.size();
            if (appendAfter) {
                store.append(1, 4.5f, 99L);
            }
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains(file.toString()), () -> e.getMessage() + " for " + hex(bytes));
            return false;
        } catch (UncheckedIOException | AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            fail("wrong exception for " + hex(bytes), e);
            return false;
        }
        if (appendAfter) {
            try (InteractionStore store = InteractionStore.open(file, USER)) {
                assertEquals(size + 1, store.size(), () -> "append after recovery lost records: " + hex(bytes));
            }
        }
        return true;
    }

    /** A valid store file with {@code n} ratings, whose records are added to {@code all}. */
    private byte[] store(String name, int n, Set<Interaction> all) throws Exception {
        Path file = dir.resolve(name + ".mfis");
        try (InteractionStore store = InteractionStore.open(file, USER)) {
            for (int i = 0; i < n; i++) {
                store.append(100 + i, 1 + (i % 9) * 0.5f, 1_700_000_000_000L + i);
            }
            all.addAll(store.snapshot());
        }
        return Files.readAllBytes(file);
    }

    /** Recomputes every whole record's CRC32C, so mutants reach the checks behind the checksum. */
    private static void reseal(byte[] b) {
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (int at = InteractionStore.HEADER_BYTES; at + InteractionStore.RECORD_BYTES <= b.length;
                at += InteractionStore.RECORD_BYTES) {
            crc.reset();
            crc.update(b, at, 16);
            le.putInt(at + 16, (int) crc.getValue());
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
