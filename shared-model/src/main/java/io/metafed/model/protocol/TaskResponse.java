package io.metafed.model.protocol;

/**
 * {@code GET /v1/task?client=ID} when the client is selected for the open round: what to adapt and until
 * when. {@code layoutId} is 16 hex digits; {@code deadlineEpochMillis} is the server's wall clock.
 */
public record TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis,
                           int innerSteps, double innerLr, int batchSize) {
}
