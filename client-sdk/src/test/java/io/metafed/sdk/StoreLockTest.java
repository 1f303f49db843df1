package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 5: two openers of one store file lost 10 of 20 ratings. Now the second opener is refused, in this
 * JVM and from another process, and the first one's ratings are all there.
 */
@Timeout(120)
class StoreLockTest {
    @TempDir
    Path dir;

    @Test
    void secondOpenerInThisProcess_isRefused_andNoRatingIsLost() {
        Path file = dir.resolve("ratings.store");
        try (InteractionStore first = InteractionStore.open(file, 7)) {
            for (int i = 0; i < 10; i++) {
                first.append(i, 4f, i);
            }
            StoreInUseException e = assertThrows(StoreInUseException.class, () -> InteractionStore.open(file, 7));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("already open"),
                    e.getMessage());
            // The same file reached through another path spelling is the same store.
            assertThrows(StoreInUseException.class,
                    () -> InteractionStore.open(dir.resolve(".").resolve("ratings.store"), 7));
            for (int i = 10; i < 20; i++) {
                first.append(i, 3f, i);
            }
        }
        try (InteractionStore reopened = InteractionStore.open(file, 7)) {
            assertEquals(20, reopened.size(), "every rating survived; the store opens again once closed");
        }
    }

    @Test
    void twoMetafedClients_onOneStoreFile_secondBuildIsRefused() {
        java.util.function.Supplier<MetafedClient.Builder> builder = () -> MetafedClient.builder()
                .storePath(dir.resolve("app.store")).user(SdkFixtures.DATA.user(3)).catalog(SdkFixtures.DATA.items())
                .layout(SdkFixtures.LAYOUT).runtime(new io.metafed.model.nn.ReferenceModel(SdkFixtures.LAYOUT));
        try (MetafedClient first = builder.get().build()) {
            first.recordRating(10, 4f);
            assertThrows(StoreInUseException.class, () -> builder.get().build());
            first.recordRating(11, 2f);
        }
        try (MetafedClient again = builder.get().build()) {
            assertEquals(2, again.ratingCount());
        }
    }

    @Test
    void otherProcess_holdingTheStore_refusesThisOne_andThisOneRefusesIt() throws Exception {
        Path file = dir.resolve("shared.store");
        Process holder = java("hold", file);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("LOCKED", out.readLine(), "the child did not open the store");
            StoreInUseException e = assertThrows(StoreInUseException.class, () -> InteractionStore.open(file, 3));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (InteractionStore mine = InteractionStore.open(file, 3)) {
            assertEquals(1, mine.size(), "the child's rating, intact");
            // A refused second opener in this JVM must not release our lock (closing its descriptor would on Linux).
            assertThrows(StoreInUseException.class, () -> InteractionStore.open(file, 3));
            Process other = java("try", file);
            String answer = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertTrue(answer.startsWith("IN_USE ") && answer.contains("another process"), answer);
            assertEquals(1, mine.size());
        }
    }

    private static Process java(String mode, Path file) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                StoreHolder.class.getName(), mode, file.toString(), "3"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
