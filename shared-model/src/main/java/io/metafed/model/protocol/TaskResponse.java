package io.metafed.model.protocol;

/**
 * {@code GET /v1/task?client=ID} when the client is selected for the open round: what to adapt and until
 * when. {@code layoutId} is 16 hex digits; {@code deadlineEpochMillis} is the server's wall clock.
 * {@code secureAggregation} is present only when the round is securely aggregated: the device then sends its
 * update through the {@code /v1/secagg/*} stages instead of {@code POST /v1/update}. Plain rounds leave it out of
 * the JSON, so their responses are unchanged.
 */
public record TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis,
                           int innerSteps, double innerLr, int batchSize, SecureAggregationTask secureAggregation) {

    /** A plain round's task. */
    public TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis, int innerSteps,
            double innerLr, int batchSize) {
        this(roundId, modelVersion, layoutId, deadlineEpochMillis, innerSteps, innerLr, batchSize, null);
    }

    public boolean secure() {
        return secureAggregation != null;
    }
}
