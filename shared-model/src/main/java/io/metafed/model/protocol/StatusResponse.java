package io.metafed.model.protocol;

/**
 * {@code GET /v1/status}: the coordinator at a glance. {@code roundState} is null before the first round.
 * {@code layoutId} (16 hex digits, as in a task) and {@code model} (the {@link io.metafed.model.nn.ModelSpec}'s
 * canonical description, e.g. {@code collab/v1;dim=16;items=1682:<catalogue hash>;...}) announce what the
 * coordinator serves, so a client can check that it was built for the same model before it enrolls; both are null
 * from coordinators that predate them.
 */
public record StatusResponse(long modelVersion, int enrolledClients, Integer roundId, String roundState,
                             int accepted, int selected, long deadlineEpochMillis, String layoutId, String model) {
}
