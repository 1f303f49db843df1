package io.metafed.model.protocol;

/** {@code GET /v1/status}: the coordinator at a glance. {@code roundState} is null before the first round. */
public record StatusResponse(long modelVersion, int enrolledClients, Integer roundId, String roundState,
                             int accepted, int selected, long deadlineEpochMillis) {
}
