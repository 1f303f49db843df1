package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metafed.model.fuzz.Mutator;
import io.metafed.security.signature.Ed25519KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the coordinator's own durable files, as a crash, a bad disk or an operator's editor
 * might leave them: {@code state.json} reads back a valid id or is refused with an {@link IOException} naming the
 * file; {@code clients.log} opens (torn tail cut, malformed lines skipped) and stays appendable, or is refused
 * with an {@link IOException} naming the file. No other exception, no hang.
 */
class DurableFilesFuzzTest {
    @TempDir
    Path dir;

    /** Seed 0x57a7e, 4,000 mutants of state.json (under a 60 s preemptive timeout). */
    @Test
    void stateFile_mutatedJson_validIdOrIOExceptionNamingFile() throws IOException {
        Path file = dir.resolve("state.json");
        StateFile state = new StateFile(file);
        state.writeNextRoundId(17);
        List<byte[]> seeds = List.of(Files.readAllBytes(file),
                "{\"formatVersion\": 1, \"nextRoundId\": 2147483647}\n".getBytes(StandardCharsets.UTF_8),
                "{\"nextRoundId\":0,\"formatVersion\":1,\"extra\":[1,{}]}".getBytes(StandardCharsets.UTF_8));
        Mutator mutator = new Mutator(0x57a7eL, seeds);
        int[] outcomes = new int[2]; // read, refused
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 4_000; i++) {
                byte[] bytes = mutator.next();
                Files.write(file, bytes);
                try {
                    OptionalInt next = state.readNextRoundId();
                    assertTrue(next.isPresent() && next.getAsInt() >= 0, () -> next + " from " + text(bytes));
                    outcomes[0]++;
                } catch (IOException e) {
                    assertTrue(e.getMessage().contains(file.toString()), () -> e + " for " + text(bytes));
                    outcomes[1]++;
                } catch (RuntimeException e) {
                    fail("wrong exception for " + text(bytes), e);
                }
            }
        });
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "read " + outcomes[0] + ", refused " + outcomes[1]);
    }

    /** Seed 0xc11e7, 2,000 mutants of clients.log (2 batches of 1,000 under a 60 s preemptive timeout). */
    @Test
    void clientRegistry_mutatedLog_opensAppendableOrIOExceptionNamingFile() throws Exception {
        Path file = dir.resolve("clients.log");
        try (ClientRegistry registry = ClientRegistry.open(file)) {
            registry.enroll("legacy-device");
            for (int i = 0; i < 4; i++) {
                registry.enroll("c" + i, Ed25519KeyPair.generate().publicKey());
            }
        }
        List<byte[]> seeds = List.of(Files.readAllBytes(file), "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        Mutator mutator = new Mutator(0xc11e7L, seeds);
        int[] outcomes = new int[2]; // opened, refused
        for (int batch = 0; batch < 2; batch++) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 1_000; i++) {
                    byte[] bytes = mutator.next();
                    Files.write(file, bytes);
                    try (ClientRegistry registry = ClientRegistry.open(file)) {
                        assertFalse(registry.contains("fresh-client"), () -> text(bytes));
                        assertTrue(registry.enroll("fresh-client"), () -> text(bytes));
                        outcomes[0]++;
                    } catch (IOException e) {
                        assertTrue(e.getMessage().contains(file.toString()), () -> e + " for " + text(bytes));
                        outcomes[1]++;
                        continue;
                    } catch (RuntimeException e) {
                        fail("wrong exception for " + text(bytes), e);
                    }
                    try (ClientRegistry reopened = ClientRegistry.open(file)) {
                        assertTrue(reopened.contains("fresh-client"), () -> "append lost after " + text(bytes));
                    }
                }
            });
        }
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "opened " + outcomes[0] + ", refused " + outcomes[1]);
    }

    private static String text(byte[] b) {
        return HexFormat.of().formatHex(b) + " ('" + new String(b, StandardCharsets.UTF_8) + "')";
    }
}
