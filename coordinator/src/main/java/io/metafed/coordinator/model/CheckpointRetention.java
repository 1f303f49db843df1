package io.metafed.coordinator.model;

/**
 * Which old checkpoints a {@link FileCheckpointStore} keeps: the newest {@code keepLast} versions and every version
 * that is a multiple of {@code keepEvery} (version 0 included); the rest are deleted after each save. The version
 * just saved, which the coordinator serves and resumes from, is always among the newest, so it is never pruned.
 *
 * @param keepLast  newest versions kept, ≥ 2 (the one before the newest survives a damaged newest file)
 * @param keepEvery every K-th version kept for history, ≥ 1 (1 keeps everything)
 */
public record CheckpointRetention(int keepLast, int keepEvery) {
    /** Newest 10 and every 100th: a few MB for the MeLU model however long the server runs. */
    public static final CheckpointRetention DEFAULT = new CheckpointRetention(10, 100);

    public CheckpointRetention {
        if (keepLast < 2) {
            throw new IllegalArgumentException("keepLast must be >= 2, found " + keepLast);
        }
        if (keepEvery < 1) {
            throw new IllegalArgumentException("keepEvery must be >= 1, found " + keepEvery);
        }
    }

    /** Keeps every version. */
    public static CheckpointRetention all() {
        return new CheckpointRetention(Integer.MAX_VALUE, 1);
    }

    /** Whether {@code version} survives when it is the {@code rank}-th newest (0 = newest). */
    boolean keeps(long version, int rank) {
        return rank < keepLast || version % keepEvery == 0;
    }
}
