package io.metafed.sdk;

import java.nio.file.Path;

/**
 * The interaction store file is already open, by another {@link MetafedClient} or {@link InteractionStore} of this
 * app or by another process. Two writers on one append-only file overwrite each other's records, so the second
 * opener is refused instead; close the first (or give each user its own store file).
 */
public final class StoreInUseException extends IllegalStateException {
    private final transient Path file;

    public StoreInUseException(Path file, String holder) {
        super("interaction store " + file + " is already open " + holder + "; close that client first (two"
                + " clients on one store file would lose ratings)");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
