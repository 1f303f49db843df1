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
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation through real SDK clients: each evaluation task is a device holding only its support set;
 * it adapts the global model with full-batch steps and predicts its query items, which the simulator scores.
 */
public final class ColdStartEvaluation implements AutoCloseable {
    private final ParamLayout layout;
    private final Map<Partition, ClientPool> pools = new EnumMap<>(Partition.class);
    private final Map<Partition, Map<Integer, UserTask>> tasks = new EnumMap<>(Partition.class);
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
                pools.put(p, new ClientPool(workers, layout, data, support, dir));
                tasks.put(p, byUser);
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
        GlobalModel global = GlobalModel.of(round, layout, theta);
        List<EvalPoint> points = new ArrayList<>();
        for (Map.Entry<Partition, ClientPool> e : pools.entrySet()) {
            Map<Integer, UserTask> byUser = tasks.get(e.getKey());
            List<Integer> users = e.getValue().users();
            List<Map<Integer, QueryPrediction>> perUser = e.getValue().map(users, (user, client) -> {
                UserTask task = byUser.get(user);
                int[] items = task.query().stream().mapToInt(Interaction::item).toArray();
                float[] actual = new float[items.length];
                for (int i = 0; i < items.length; i++) {
                    actual[i] = task.query().get(i).rating();
                }
                Map<Integer, QueryPrediction> byStep = new LinkedHashMap<>();
                for (int s : steps) {
                    if (s == 0) {
                        client.useGlobalModel(global);
                    } else if (s == EvalPoint.RECONSTRUCTED) {
                        client.personalize(global, AdaptationConfig.fullBatch(0, learningRate).withAlgorithm(algorithm));
                    } else {
                        try {
                            client.personalize(global, AdaptationConfig.fullBatch(s, learningRate)
                                    .withAlgorithm(algorithm));
                        } catch (IllegalStateException diverged) {
                            throw new IllegalArgumentException("evaluating " + model + " at round " + round
                                    + ": adaptation of user " + user + " diverged at learning rate " + learningRate
                                    + "; lower --eval-lr (or --inner-lr)", diverged);
                        }
                    }
                    byStep.put(s, new QueryPrediction(user, client.predict(items), actual));
                }
                return byStep;
            });
            for (int s : steps) {
                List<QueryPrediction> predictions = new ArrayList<>(perUser.size());
                for (Map<Integer, QueryPrediction> m : perUser) {
                    predictions.add(m.get(s));
                }
                points.add(new EvalPoint(model, seed, round, e.getKey(), s,
                        QueryMetrics.summarize(predictions, evaluator)));
            }
        }
        return points;
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
        pools.values().forEach(ClientPool::close);
        pools.clear();
    }
}
