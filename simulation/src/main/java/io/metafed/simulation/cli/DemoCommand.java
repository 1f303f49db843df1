package io.metafed.simulation.cli;

import io.metafed.evaluation.Adaptation;
import io.metafed.evaluation.BaselinePredictions;
import io.metafed.evaluation.QueryMetrics;
import io.metafed.evaluation.QueryPrediction;
import io.metafed.evaluation.TaskEvaluator;
import io.metafed.evaluation.baseline.BiasBaseline;
import io.metafed.evaluation.baseline.GlobalMeanBaseline;
import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.UserTask;
import io.metafed.evaluation.train.CentralTrainer;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.simulation.report.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the model centrally on the TRAIN partition and evaluates it, with and without fine-tuning on each
 * task's support set, beside the global-mean and μ+b_u+b_i baselines, in every cold-start partition.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Central training and cold-start evaluation of the model beside the baselines.")
public final class DemoCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Option(names = {"-e", "--epochs"}, defaultValue = "10", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.1", description = "Training learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--batch", defaultValue = "32", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--finetune-lr", defaultValue = "0.02",
            description = "Learning rate of the per-user fine-tuning steps (default: ${DEFAULT-VALUE}).")
    float finetuneLr;

    private final PrintStream out = System.out;

    @Override
    public void run() {
        long start = System.nanoTime();
        data.validate();
        LoadedData loaded = data.loadWithProvenance();
        Dataset dataset = loaded.dataset();
        DataOptions.describe(loaded, out);
        ColdStartSplit split = data.coldStart(dataset, data.seed);
        for (Partition p : Partition.values()) {
            out.printf("  %-15s %4d tasks  (%s)%n", p, split.tasks(p).size(), p.description());
        }
        List<Interaction> training = new ArrayList<>();
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            training.addAll(t.support());
            training.addAll(t.query());
        }
        GlobalMeanBaseline mean = GlobalMeanBaseline.fit(split.trainingSide());
        BiasBaseline bias = BiasBaseline.fit(split.trainingSide(), dataset.scale());

        ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.of(dataset)));
        ReferenceModel model = new ReferenceModel(layout);
        BatchEncoder encoder = new BatchEncoder(new FeatureEncoder(layout.config().schema()), dataset);
        float[] params = ParamInitializer.initialize(layout, data.seed, (float) mean.mean());
        out.printf("Model: %s, %d parameters%n", layout.config().describe(), layout.size());
        double[] losses = new CentralTrainer(model, encoder).train(params, training,
                new CentralTrainer.Config(epochs, batchSize, learningRate, data.seed));
        for (int e = 0; e < losses.length; e++) {
            out.printf("  epoch %d: training MSE %.4f%n", e + 1, losses[e]);
        }

        TaskEvaluator evaluator = new TaskEvaluator(model, encoder);
        UserEvaluator metrics = UserEvaluator.melu(dataset.scale());
        TextTable table = new TextTable(List.of("partition", "model", "MAE", "RMSE", "nDCG@1", "nDCG@3",
                "nDCG@3 (2^r-1)", "Hit@3"));
        for (Partition p : Partition.evaluation()) {
            List<UserTask> tasks = split.tasks(p);
            if (tasks.isEmpty()) {
                continue;
            }
            addRow(table, p, "global mean", QueryMetrics.summarize(BaselinePredictions.of(mean, tasks), metrics));
            addRow(table, p, "bias μ+b_u+b_i", QueryMetrics.summarize(BaselinePredictions.of(bias, tasks), metrics));
            for (Adaptation a : List.of(Adaptation.none(), new Adaptation(1, finetuneLr), new Adaptation(5, finetuneLr))) {
                List<QueryPrediction> predictions = evaluator.predict(params, tasks, a);
                addRow(table, p, "central, " + a.label(), QueryMetrics.summarize(predictions, metrics));
            }
        }
        out.println();
        out.print(table.render());
        out.printf("(nDCG uses linear gain r unless marked; Hit@3 counts ratings >= %s on the %s scale; %.1f s)%n",
                metrics.relevanceThreshold(), dataset.scale().describe(), (System.nanoTime() - start) / 1e9);
    }

    private static void addRow(TextTable table, Partition p, String model, Map<String, Double> m) {
        table.row(List.of(p.name(), model, f(m.get(UserEvaluator.MAE)), f(m.get(UserEvaluator.RMSE)),
                f(m.get(UserEvaluator.ndcgLin(1))), f(m.get(UserEvaluator.ndcgLin(3))),
                f(m.get(UserEvaluator.ndcgExp(3))), f(m.get(UserEvaluator.hit(3)))));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
