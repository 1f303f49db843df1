package io.metafed.simulation.federation;

import java.util.Locale;

/**
 * How the simulator's workers adapt collaborative-model clients: {@link Kind#JAVA} (each client's
 * {@code MetafedClient.adapt} with the plain-Java {@code CollabReference}, the default) or {@link Kind#BATCHED_ORT}
 * (each worker adapts its clients of a round together, {@code groupSize} at a time, with its own
 * {@code OrtBatchedCollabRuntime} through {@code MetafedClient.adaptTogether}). Both give every client the same
 * update up to float rounding (parity at 1e-5 in the SDK's tests); scoring and evaluation use the plain-Java
 * runtime either way.
 */
public record CollabBackend(Kind kind, int groupSize) {
    public static final int DEFAULT_GROUP_SIZE = 16;
    public static final CollabBackend JAVA = new CollabBackend(Kind.JAVA, 1);

    public enum Kind {
        JAVA("java"),
        BATCHED_ORT("batched-ort");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public CollabBackend {
        java.util.Objects.requireNonNull(kind, "kind");
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be >= 1, found " + groupSize);
        }
    }

    public static CollabBackend batched(int groupSize) {
        return new CollabBackend(Kind.BATCHED_ORT, groupSize);
    }

    /** {@code java} or {@code batched-ort} (what {@code --collab-runtime} takes), with {@code groupSize}. */
    public static CollabBackend parse(String name, int groupSize) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (k.wireName.equals(wanted)) {
                return k == Kind.JAVA ? JAVA : batched(groupSize);
            }
        }
        throw new IllegalArgumentException("--collab-runtime must be java or batched-ort, found '" + name + "'");
    }

    public boolean batched() {
        return kind == Kind.BATCHED_ORT;
    }
}
