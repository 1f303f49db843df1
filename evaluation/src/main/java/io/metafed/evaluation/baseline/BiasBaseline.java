package io.metafed.evaluation.baseline;

import io.metafed.model.Checks;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.RatingScale;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code r̂ = μ + b_u + b_i}, clamped to the dataset's rating scale. Biases are L2-regularized and fitted on training
 * interactions only by alternating closed-form passes (items first, starting from b_u = 0):
 * <pre>
 *   b_i = Σ_{u rated i} (r − μ − b_u) / (λ_item + n_i)
 *   b_u = Σ_{i rated by u} (r − μ − b_i) / (λ_user + n_u)
 * </pre>
 * The regularizer shrinks biases of rarely seen users and items toward 0, which is what a cold-start user
 * (few ratings) needs. A user or item not seen in training gets bias 0.
 */
public final class BiasBaseline implements RatingPredictor {
    /**
     * @param itemLambda λ_item, shrinkage of item biases (>= 0)
     * @param userLambda λ_user, shrinkage of user biases (>= 0)
     * @param iterations alternating passes over items then users (>= 1)
     */
    public record Config(double itemLambda, double userLambda, int iterations) {
        /** Common defaults for explicit 1–5 ratings. */
        public static final Config DEFAULT = new Config(10, 15, 10);

        public Config {
            Checks.inRange(itemLambda, 0, Double.MAX_VALUE, "itemLambda");
            Checks.inRange(userLambda, 0, Double.MAX_VALUE, "userLambda");
            Checks.positive(iterations, "iterations");
        }
    }

    private final double mu;
    private final RatingScale scale;
    private final Map<Integer, Double> userBias;
    private final Map<Integer, Double> itemBias;

    private BiasBaseline(double mu, RatingScale scale, Map<Integer, Double> userBias, Map<Integer, Double> itemBias) {
        this.mu = mu;
        this.scale = scale;
        this.userBias = Map.copyOf(userBias);
        this.itemBias = Map.copyOf(itemBias);
    }

    /** Fitted with the default config, clamping to the default scale 1–5. */
    public static BiasBaseline fit(List<Interaction> training) {
        return fit(training, Config.DEFAULT, null);
    }

    /** Fitted with the default config, clamping to {@code scale} (the dataset's). */
    public static BiasBaseline fit(List<Interaction> training, RatingScale scale) {
        return fit(training, Config.DEFAULT, scale);
    }

    public static BiasBaseline fit(List<Interaction> training, Config config) {
        return fit(training, config, null);
    }

    /** @param scale what predictions are clamped to (the dataset's); null: the default scale 1–5 */
    public static BiasBaseline fit(List<Interaction> training, Config config, RatingScale scale) {
        Training.check(training);
        RatingScale clampTo = Training.scaleOf(scale);
        Objects.requireNonNull(config, "config");
        double mu = Training.mean(training);
        Map<Integer, Double> bu = new HashMap<>();
        Map<Integer, Double> bi = new HashMap<>();
        for (int pass = 0; pass < config.iterations(); pass++) {
            bi = solve(training, mu, bu, config.itemLambda(), true);
            bu = solve(training, mu, bi, config.userLambda(), false);
        }
        return new BiasBaseline(mu, clampTo, bu, bi);
    }

    /** One closed-form pass: each side's biases given the other side's (missing = 0). */
    private static Map<Integer, Double> solve(List<Interaction> training, double mu, Map<Integer, Double> other,
                                              double lambda, boolean items) {
        Map<Integer, double[]> sumAndCount = new HashMap<>();
        for (Interaction in : training) {
            int key = items ? in.item() : in.user();
            double otherBias = other.getOrDefault(items ? in.user() : in.item(), 0.0);
            double[] acc = sumAndCount.computeIfAbsent(key, k -> new double[2]);
            acc[0] += in.rating() - mu - otherBias;
            acc[1]++;
        }
        Map<Integer, Double> biases = new HashMap<>();
        // n >= 1 for every key present, so the denominator is positive even with λ = 0.
        sumAndCount.forEach((key, acc) -> biases.put(key, acc[0] / (lambda + acc[1])));
        return biases;
    }

    /**
     * This baseline's μ and item biases with user biases solved afresh on {@code ratings} (one closed-form pass,
     * λ_user of {@code config}): MeLU's protocol, where a cold-start user's b_u comes from its own support set only.
     */
    public BiasBaseline withUsersFrom(List<Interaction> ratings, Config config) {
        Objects.requireNonNull(config, "config");
        return new BiasBaseline(mu, scale, solve(ratings, mu, itemBias, config.userLambda(), false), itemBias);
    }

    /** The training mean μ. */
    public double mu() {
        return mu;
    }

    /** b_u, or 0 for a user not in the training data. */
    public double userBias(int user) {
        return userBias.getOrDefault(user, 0.0);
    }

    /** b_i, or 0 for an item not in the training data. */
    public double itemBias(int item) {
        return itemBias.getOrDefault(item, 0.0);
    }

    /** μ + b_u + b_i clamped to the rating scale. */
    @Override
    public double predict(int user, int item) {
        return scale.clamp(score(user, item));
    }

    /** μ + b_u + b_i, not clamped: what a ranking orders by. */
    @Override
    public double score(int user, int item) {
        return mu + userBias(user) + itemBias(item);
    }

    /** The scale predictions are clamped to. */
    public RatingScale scale() {
        return scale;
    }

    @Override
    public String toString() {
        return "BiasBaseline[mu=" + mu + ", users=" + userBias.size() + ", items=" + itemBias.size() + "]";
    }
}
