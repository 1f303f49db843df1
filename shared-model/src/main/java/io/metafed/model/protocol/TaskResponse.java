package io.metafed.model.protocol;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.nn.ParamLayout;

/**
 * {@code GET /v1/task?client=ID} when the client is selected for the open round: what to adapt and until
 * when. {@code layoutId} is 16 hex digits; {@code deadlineEpochMillis} is the server's wall clock.
 * {@code secureAggregation} is present only when the round is securely aggregated: the device then sends its
 * update through the {@code /v1/secagg/*} stages instead of {@code POST /v1/update}. Plain rounds leave it out of
 * the JSON, so their responses are unchanged.
 * <p>
 * {@code algorithm} names the round's {@link FederatedAlgorithm} by its wire name; a device refuses a name it does
 * not know. Tasks of coordinators that predate the field leave it out, and devices then run the model family's
 * {@linkplain FederatedAlgorithm#defaultFor(ParamLayout) default}. {@code epochs} (FedAvg) and {@code metaStepSize} (FOMAML,
 * Meta-SGD) are 0 when they do not apply.
 */
public record TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis,
                           int innerSteps, double innerLr, int batchSize, SecureAggregationTask secureAggregation,
                           String algorithm, int epochs, double metaStepSize) {

    /** A plain round's task without an algorithm field. */
    public TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis, int innerSteps,
            double innerLr, int batchSize) {
        this(roundId, modelVersion, layoutId, deadlineEpochMillis, innerSteps, innerLr, batchSize, null);
    }

    /** A task without an algorithm field, as coordinators before it sent. */
    public TaskResponse(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis, int innerSteps,
            double innerLr, int batchSize, SecureAggregationTask secureAggregation) {
        this(roundId, modelVersion, layoutId, deadlineEpochMillis, innerSteps, innerLr, batchSize, secureAggregation,
                null, 0, 0);
    }

    /** The task that asks for {@code training}. */
    public static TaskResponse of(int roundId, long modelVersion, String layoutId, long deadlineEpochMillis,
            LocalTraining training, SecureAggregationTask secureAggregation) {
        boolean meta = training.algorithm() == FederatedAlgorithm.FOMAML
                || training.algorithm() == FederatedAlgorithm.META_SGD;
        return new TaskResponse(roundId, modelVersion, layoutId, deadlineEpochMillis, training.steps(),
                training.learningRate(), training.batchSize(), secureAggregation, training.algorithm().wireName(),
                training.epochs(), meta ? training.metaStepSize() : 0);
    }

    public boolean secure() {
        return secureAggregation != null;
    }

    /**
     * What this task asks of a device whose parameters follow {@code layout}.
     *
     * @throws IllegalArgumentException for an unknown algorithm, one that does not train {@code spec}, or invalid
     *                                  numbers, naming which
     */
    public LocalTraining training(ParamLayout layout) {
        FederatedAlgorithm a = algorithm == null ? FederatedAlgorithm.defaultFor(layout)
                : FederatedAlgorithm.of(algorithm);
        a.requireFits(layout);
        return new LocalTraining(a, innerSteps, epochs, innerLr, batchSize, metaStepSize > 0 ? metaStepSize : innerLr);
    }
}
