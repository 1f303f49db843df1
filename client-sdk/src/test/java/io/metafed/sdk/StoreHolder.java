package io.metafed.sdk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for {@link StoreLockTest}: {@code hold PATH USER} opens the store, prints {@code LOCKED} and keeps
 * it open until stdin closes; {@code try PATH USER} tries to open it and prints {@code OPENED} or
 * {@code IN_USE <message>}.
 */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        int user = Integer.parseInt(args[2]);
        if (args[0].equals("hold")) {
            try (InteractionStore store = InteractionStore.open(file, user)) {
                store.append(999, 5f, 1L);
                System.out.println("LOCKED");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold until the parent closes our stdin (or dies)
                }
            }
            return;
        }
        try (InteractionStore store = InteractionStore.open(file, user)) {
            store.append(998, 1f, 2L); // would corrupt the holder's file if the lock did not hold
            System.out.println("OPENED");
        } catch (StoreInUseException e) {
            System.out.println("IN_USE " + e.getMessage());
        }
    }
}
