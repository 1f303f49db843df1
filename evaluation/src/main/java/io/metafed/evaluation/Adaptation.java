package io.metafed.evaluation;

import io.metafed.model.Checks;

/**
 * How a model is personalized on a task's support set before scoring its query set: {@code steps} full-batch SGD
 * steps at {@code learningRate} (0 steps = the global model as is).
 */
public record Adaptation(int steps, float learningRate) {
    public Adaptation {
        Checks.nonNegative(steps, "steps");
        if (steps > 0) {
            Checks.positive(learningRate, "learningRate");
        }
    }

    public static Adaptation none() {
        return new Adaptation(0, 0f);
    }

    public String label() {
        return steps == 0 ? "no adaptation" : steps + " step" + (steps == 1 ? "" : "s");
    }
}
