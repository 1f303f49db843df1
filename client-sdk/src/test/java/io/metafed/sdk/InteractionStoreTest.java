package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionStoreTest {
    @TempDir
    Path dir;

    @Test
    void append_thenReopen_keepsEveryRating() {
        Path file = dir.resolve("u7.store");
        try (InteractionStore store = InteractionStore.open(file, 7)) {
            store.append(10, 4f, 100L);
            store.append(11, 2f, 101L);
        }
        try (InteractionStore store = InteractionStore.open(file, 7)) {
            assertEquals(2, store.size());
            assertEquals(11, store.snapshot().get(1).item());
            assertEquals(2f, store.snapshot().get(1).rating());
            assertEquals(101L, store.snapshot().get(1).timestamp());
        }
    }

    @Test
    void open_tornLastRecord_isTruncatedAndAppendsContinue() throws IOException {
        Path file = dir.resolve("s");
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            store.append(1, 5f, 1L);
            store.append(2, 3f, 2L);
        }
        long full = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(full - 7); // a crash in the middle of the second append
        }
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            assertEquals(1, store.size());
            store.append(3, 1f, 3L);
        }
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            assertEquals(2, store.size());
            assertEquals(3, store.snapshot().get(1).item());
        }
    }

    @Test
    void open_corruptMiddleRecord_isRefused() throws IOException {
        Path file = dir.resolve("s");
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            store.append(1, 5f, 1L);
            store.append(2, 3f, 2L);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[InteractionStore.HEADER_BYTES + 2] ^= 0x10;
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InteractionStore.open(file, 1));
        assertTrue(e.getMessage().contains("record 0 of 2 fails its checksum"), e.getMessage());
    }

    /** Found by InteractionStoreFuzzTest: a checksummed out-of-range rating escaped as IllegalArgumentException. */
    @Test
    void open_checksummedOutOfRangeRating_isRefusedNamingFileAndRecord() throws IOException {
        Path file = dir.resolve("s");
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            store.append(1, 5f, 1L);
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer record = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        record.putFloat(InteractionStore.HEADER_BYTES + 4, 9f);
        CRC32C crc = new CRC32C();
        crc.update(bytes, InteractionStore.HEADER_BYTES, 16);
        record.putInt(InteractionStore.HEADER_BYTES + 16, (int) crc.getValue());
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InteractionStore.open(file, 1));
        assertTrue(e.getMessage().contains(file + ": record 0 of 1 is invalid: rating"), e.getMessage());
    }

    @Test
    void open_otherUsersStore_isRefused() {
        Path file = dir.resolve("s");
        InteractionStore.open(file, 1).close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InteractionStore.open(file, 2));
        assertTrue(e.getMessage().contains("belongs to user 1, not 2"), e.getMessage());
    }

    @Test
    void open_foreignFile_isRefusedByMagic() throws IOException {
        Path file = dir.resolve("s");
        Files.writeString(file, "hello, world");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InteractionStore.open(file, 1));
        assertTrue(e.getMessage().contains("not an interaction store"), e.getMessage());
    }

    @Test
    void append_invalidRating_isRejectedAndNothingWritten() throws IOException {
        Path file = dir.resolve("s");
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            assertThrows(IllegalArgumentException.class, () -> store.append(1, 9f, 1L));
            assertEquals(0, store.size());
        }
        assertEquals(InteractionStore.HEADER_BYTES, Files.size(file));
    }

    @Test
    void append_afterClose_isRefused() {
        InteractionStore store = InteractionStore.open(dir.resolve("s"), 1);
        store.close();
        assertThrows(IllegalStateException.class, () -> store.append(1, 3f, 1L));
    }

    @Test
    void appendAll_oneInvalidRating_storesNone() throws IOException {
        Path file = dir.resolve("s");
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.appendAll(new int[] {1, 2, 3}, new float[] {4f, 0f, 2f}, 5L));
            store.appendAll(new int[] {1, 2}, new float[] {4f, 2f}, 5L);
        }
        try (InteractionStore store = InteractionStore.open(file, 1)) {
            assertEquals(2, store.size());
            assertEquals(2, store.snapshot().get(1).item());
        }
    }
}
