package io.metafed.simulation.eval;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.evaluation.QueryMetrics;
import io.metafed.evaluation.QueryPrediction;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.MetafedClient;
import io.metafed.simulation.federation.ClientExecution;
import io.metafed.simulation.federation.ClientJob;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation through real SDK clients: each evaluation task is a device holding only its support set;
 * it adapts the global model with full-batch steps and predicts its query items, which the simulator scores.
 * The devices run on the worker threads, or wherever a {@link DeviceFactory} puts them (a cluster engine): the
 * per-device job is a serializable {@link ClientJob} carrying θ and the query items, and only predictions return.
 */
public final class ColdStartEvaluation implements AutoCloseable {
    /** Makes the evaluation devices of one partition from their ratings, storing them under a directory. */
    @FunctionalInterface
    public interface DeviceFactory {
        ClientExecution devices(Map<Integer, List<Interaction>> ratings, Path storeDir);
    }

    private final ParamLayout layout;
    private final Map<Partition, ClientExecution> pools = new EnumMap<>(Partition.class);
    private final Map<Partition, Map<Integer, UserTask>> tasks = new EnumMap<>(Partition.class);
    /** Per partition, user → query items and their ratings: what a job needs, in serializable form. */
    private final Map<Partition, HashMap<Integer, int[]>> queryItems = new EnumMap<>(Partition.class);
    private final Map<Partition, HashMap<Integer, float[]>> queryRatings = new EnumMap<>(Partition.class);
    private final UserEvaluator evaluator;

    public ColdStartEvaluation(WorkerRuntimes workers, ParamLayout layout, Dataset data, ColdStartSplit split,
                               Path storeDir) {
        this(workers, layout, data, split, storeDir, null);
    }

    /**
     * With {@code history} (user → every rating that user's device holds, query ratings excluded), each evaluation
     * device holds its user's history (the deployment protocol); without, only the task's support set (MeLU's).
     */
    public ColdStartEvaluation(WorkerRuntimes workers, ParamLayout layout, Dataset data, ColdStartSplit split,
                               Path storeDir, Map<Integer, List<Interaction>> history) {
        this(layout, data, split, storeDir, history, (ratings, dir) -> new ClientPool(workers, layout, data, ratings,
                dir));
    }

    /** As above, with the devices made by {@code devices} (e.g. on a cluster engine). */
    public ColdStartEvaluation(ParamLayout layout, Dataset data, ColdStartSplit split, Path storeDir,
                               Map<Integer, List<Interaction>> history, DeviceFactory devices) {
        this.layout = layout;
        this.evaluator = UserEvaluator.melu(data.scale());
        try {
            for (Partition p : Partition.evaluation()) {
                Map<Integer, List<Interaction>> support = new LinkedHashMap<>();
                Map<Integer, UserTask> byUser = new LinkedHashMap<>();
                for (UserTask t : split.tasks(p)) {
                    support.put(t.user(), history == null ? t.support() : history.get(t.user()));
                    byUser.put(t.user(), t);
                }
                if (byUser.isEmpty()) {
                    continue;
                }
                Path dir = Files.createDirectories(storeDir.resolve(p.name().toLowerCase(java.util.Locale.ROOT)));
                HashMap<Integer, int[]> items = new HashMap<>();
                HashMap<Integer, float[]> ratings = new HashMap<>();
                for (UserTask t : byUser.values()) {
                    items.put(t.user(), t.query().stream().mapToInt(Interaction::item).toArray());
                    float[] actual = new float[t.query().size()];
                    for (int i = 0; i < actual.length; i++) {
                        actual[i] = t.query().get(i).rating();
                    }
                    ratings.put(t.user(), actual);
                }
                queryItems.put(p, items);
                queryRatings.put(p, ratings);
                tasks.put(p, byUser);
                pools.put(p, devices.devices(support, dir));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Unable to create evaluation stores in " + storeDir, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Metrics of {@code theta} in every evaluation partition, for each adaptation step count. */
    public List<EvalPoint> evaluate(String model, long seed, int round, float[] theta, List<Integer> steps,
                                    float learningRate) {
        return evaluate(model, null, seed, round, theta, steps, learningRate);
    }

    /**
     * As above, each device personalizing the way {@code algorithm} does (null: the model's default; e.g. Meta-SGD
     * adapts with its learned per-parameter rates instead of {@code learningRate}).
     */
    public List<EvalPoint> evaluate(String model, FederatedAlgorithm algorithm, long seed, int round, float[] theta,
                                    List<Integer> steps, float learningRate) {
        return evaluate(model, algorithm, seed, round, ParamVector.copyOf(theta), steps, learningRate);
    }

    /** As above for a θ shared with its owner (a model version): every evaluation device reads it without a copy. */
    public List<EvalPoint> evaluate(String model, FederatedAlgorithm algorithm, long seed, int round,
                                    ParamVector theta, List<Integer> steps, float learningRate) {
        theta.requireSize(layout.size(), "theta");
        float[] params = theta.toArray();
        List<EvalPoint> points = new ArrayList<>();
        for (Map.Entry<Partition, ClientExecution> e : pools.entrySet()) {
            List<Integer> users = e.getValue().users();
            List<float[][]> perUser = e.getValue().map(users, new Personalize(model, algorithm, round, layout.id(),
                    params, steps.stream().mapToInt(Integer::intValue).toArray(), learningRate,
                    queryItems.get(e.getKey())));
            HashMap<Integer, float[]> actual = queryRatings.get(e.getKey());
            for (int k = 0; k < steps.size(); k++) {
                List<QueryPrediction> predictions = new ArrayList<>(perUser.size());
                for (int i = 0; i < users.size(); i++) {
                    predictions.add(new QueryPrediction(users.get(i), perUser.get(i)[k], actual.get(users.get(i))));
                }
                points.add(new EvalPoint(model, seed, round, e.getKey(), steps.get(k),
                        QueryMetrics.summarize(predictions, evaluator)));
            }
        }
        return points;
    }

    /**
     * One evaluation device's job: personalize θ with each step count and predict the query items; returns the
     * predictions per step count. θ is made into the SDK's model once per job copy (per worker pool, or per task on
     * a cluster), not once per device.
     */
    private static final class Personalize implements ClientJob<float[][]> {
        private static final long serialVersionUID = 1L;
        private final String model;
        private final FederatedAlgorithm algorithm;
        private final int round;
        private final long layoutId;
        private final float[] params;
        private final int[] steps;
        private final float learningRate;
        private final HashMap<Integer, int[]> queryItems;
        private transient volatile GlobalModel global;

        Personalize(String model, FederatedAlgorithm algorithm, int round, long layoutId, float[] params, int[] steps,
                    float learningRate, HashMap<Integer, int[]> queryItems) {
            this.model = model;
            this.algorithm = algorithm;
            this.round = round;
            this.layoutId = layoutId;
            this.params = params;
            this.steps = steps;
            this.learningRate = learningRate;
            this.queryItems = queryItems;
        }

        private GlobalModel global() {
            GlobalModel g = global;
            if (g == null) {
                // The job owns params (a copy of θ made for it), so the model may read it in place.
                g = new GlobalModel(round, layoutId, ParamVector.adopt(params));
                global = g;
            }
            return g;
        }

        @Override
        public float[][] apply(Integer user, MetafedClient client) {
            GlobalModel g = global();
            int[] items = queryItems.get(user);
            float[][] byStep = new float[steps.length][];
            for (int k = 0; k < steps.length; k++) {
                int s = steps[k];
                if (s == 0) {
                    client.useGlobalModel(g);
                } else if (s == EvalPoint.RECONSTRUCTED) {
                    client.personalize(g, AdaptationConfig.fullBatch(0, learningRate).withAlgorithm(algorithm));
                } else {
                    try {
                        client.personalize(g, AdaptationConfig.fullBatch(s, learningRate).withAlgorithm(algorithm));
                    } catch (IllegalStateException diverged) {
                        throw new IllegalArgumentException("evaluating " + model + " at round " + round
                                + ": adaptation of user " + user + " diverged at learning rate " + learningRate
                                + "; lower --eval-lr (or --inner-lr)", diverged);
                    }
                }
                byStep[k] = client.predict(items);
            }
            return byStep;
        }
    }

    /** Query predictions of a baseline for the same tasks, as evaluation points at {@code round}. */
    public List<EvalPoint> evaluateBaseline(String model, long seed, int round,
                                            io.metafed.evaluation.baseline.RatingPredictor predictor) {
        return evaluateBaseline(model, seed, round, p -> predictor);
    }

    /** As above with one predictor per partition (e.g. user biases fitted on that partition's support sets). */
    public List<EvalPoint> evaluateBaseline(String model, long seed, int round,
            java.util.function.Function<Partition, io.metafed.evaluation.baseline.RatingPredictor> predictorOf) {
        List<EvalPoint> points = new ArrayList<>();
        for (Map.Entry<Partition, Map<Integer, UserTask>> e : tasks.entrySet()) {
            io.metafed.evaluation.baseline.RatingPredictor predictor = predictorOf.apply(e.getKey());
            List<QueryPrediction> predictions = io.metafed.evaluation.BaselinePredictions.of(predictor,
                    new ArrayList<>(e.getValue().values()));
            points.add(new EvalPoint(model, seed, round, e.getKey(), 0, QueryMetrics.summarize(predictions, evaluator)));
        }
        return points;
    }

    @Override
    public void close() {
        pools.values().forEach(ClientExecution::close);
        pools.clear();
    }
}
