package io.metafed.evaluation;

/**
 * A model's predictions for one task's query items, beside the true ratings (same order). {@code predicted} holds
 * the model's raw scores, not clamped to the rating scale: {@link QueryMetrics} clamps them for MAE and RMSE and
 * ranks by them as they are.
 */
public record QueryPrediction(int user, float[] predicted, float[] actual) {
    public QueryPrediction {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("predicted and actual must have equal length, found "
                    + predicted.length + " and " + actual.length);
        }
        predicted = predicted.clone();
        actual = actual.clone();
    }

    @Override
    public float[] predicted() {
        return predicted.clone();
    }

    @Override
    public float[] actual() {
        return actual.clone();
    }
}
