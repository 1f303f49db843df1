package io.metafed.evaluation;

/** A model's predictions for one task's query items, beside the true ratings (same order). */
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
