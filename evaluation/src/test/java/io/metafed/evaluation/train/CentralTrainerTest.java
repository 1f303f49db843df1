package io.metafed.evaluation.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.Adaptation;
import io.metafed.evaluation.BaselinePredictions;
import io.metafed.evaluation.QueryMetrics;
import io.metafed.evaluation.TaskEvaluator;
import io.metafed.evaluation.baseline.GlobalMeanBaseline;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.data.Dataset;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import org.junit.jupiter.api.Test;

class CentralTrainerTest {
    private final Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
    private final ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
    private final ReferenceModel model = new ReferenceModel(layout);
    private final BatchEncoder encoder = new BatchEncoder(new FeatureEncoder(layout.config().schema()), data);

    @Test
    void train_fewEpochs_lossFallsAndBeatsGlobalMeanOnHeldOutUsers() {
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(4));
        float[] params = ParamInitializer.initialize(layout, 4, (float) data.meanRating());
        double[] losses = new CentralTrainer(model, encoder).train(params,
                split.trainingSide(), new CentralTrainer.Config(6, 32, 0.1f, 4));
        assertTrue(losses[losses.length - 1] < 0.9 * losses[0], "training loss should fall: "
                + java.util.Arrays.toString(losses));
        var tasks = split.tasks(Partition.USER_COLD);
        double modelMae = QueryMetrics.summarize(new TaskEvaluator(model, encoder).predict(params, tasks,
                new Adaptation(5, 0.02f)), UserEvaluator.melu()).get(UserEvaluator.MAE);
        double meanMae = QueryMetrics.summarize(BaselinePredictions.of(GlobalMeanBaseline.fit(split.trainingSide()),
                tasks), UserEvaluator.melu()).get(UserEvaluator.MAE);
        assertTrue(modelMae < meanMae, "model MAE " + modelMae + " should beat global mean " + meanMae);
    }

    @Test
    void train_sameSeed_isBitForBitReproducible() {
        float[] a = ParamInitializer.initialize(layout, 9, 3.5f);
        float[] b = ParamInitializer.initialize(layout, 9, 3.5f);
        CentralTrainer.Config config = new CentralTrainer.Config(1, 16, 0.05f, 9);
        new CentralTrainer(model, encoder).train(a, data.interactions().subList(0, 500), config);
        new CentralTrainer(model, encoder).train(b, data.interactions().subList(0, 500), config);
        assertArrayEquals(a, b);
    }
}
