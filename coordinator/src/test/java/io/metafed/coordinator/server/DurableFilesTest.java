package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void stateFile_writtenThenRead_roundTripsNextRoundId() throws IOException {
        StateFile state = new StateFile(dir.resolve("state.json"));
        assertTrue(state.readNextRoundId().isEmpty());
        state.writeNextRoundId(17);
        assertEquals(17, state.readNextRoundId().getAsInt());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void stateFile_unknownFormatVersion_refusedNamingVersion() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"formatVersion\":2,\"nextRoundId\":3}");
        IOException e = assertThrows(IOException.class, () -> new StateFile(file).readNextRoundId());
        assertTrue(e.getMessage().contains("formatVersion must be 1, found 2"), e.getMessage());
    }

    @Test
    void stateFile_garbage_refusedWithExpectedShape() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "not json");
        IOException e = assertThrows(IOException.class, () -> new StateFile(file).readNextRoundId());
        assertTrue(e.getMessage().contains("nextRoundId"), e.getMessage());
    }

    @Test
    void stateFile_nonIntegerRoundId_refusedAsIOException() throws IOException {
        Path file = dir.resolve("state.json");
        for (String bad : new String[] {"1.5", "1e10", "-0.25"}) {
            Files.writeString(file, "{\"formatVersion\":1,\"nextRoundId\":" + bad + "}");
            IOException e = assertThrows(IOException.class, () -> new StateFile(file).readNextRoundId(), bad);
            assertTrue(e.getMessage().contains("nextRoundId"), e.getMessage());
        }
    }

    /** Found by DurableFilesFuzzTest: invalid UTF-8 gave a MalformedInputException that did not name the file. */
    @Test
    void stateFile_invalidUtf8_refusedNamingFile() throws IOException {
        Path file = dir.resolve("state.json");
        Files.write(file, new byte[] {'{', (byte) 0x80, '}'});
        IOException e = assertThrows(IOException.class, () -> new StateFile(file).readNextRoundId());
        assertTrue(e.getMessage().startsWith(file + ": not UTF-8"), e.getMessage());
    }

    @Test
    void clientRegistry_tornLastLine_cutOffAndAppendContinuesCleanly() throws IOException {
        Path file = dir.resolve("clients.log");
        Files.writeString(file, "a\nb\npartial-with-no-newline", StandardCharsets.UTF_8);
        try (ClientRegistry registry = ClientRegistry.open(file)) {
            assertEquals(Set.of("a", "b"), registry.clients());
            assertTrue(registry.enroll("c"));
            assertFalse(registry.enroll("a"));
        }
        assertEquals("a\nb\nc\n", Files.readString(file));
        Files.writeString(file, "bad id!\n", StandardOpenOption.APPEND);
        try (ClientRegistry registry = ClientRegistry.open(file)) {
            assertEquals(Set.of("a", "b", "c"), registry.clients());
        }
    }
}
