package io.metafed.evaluation;

import io.metafed.evaluation.task.UserTask;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.InnerLoop;
import java.util.ArrayList;
import java.util.List;

/** Adapts a model on each task's support set and predicts its query set; the global parameters stay untouched. */
public final class TaskEvaluator {
    private final ModelRuntime runtime;
    private final BatchEncoder encoder;
    private final InnerLoop innerLoop;

    public TaskEvaluator(ModelRuntime runtime, BatchEncoder encoder) {
        this.runtime = runtime;
        this.encoder = encoder;
        this.innerLoop = new InnerLoop(runtime);
    }

    public List<QueryPrediction> predict(float[] params, List<UserTask> tasks, Adaptation adaptation) {
        List<QueryPrediction> out = new ArrayList<>(tasks.size());
        for (UserTask task : tasks) {
            out.add(predict(params, task, adaptation));
        }
        return out;
    }

    public QueryPrediction predict(float[] params, UserTask task, Adaptation adaptation) {
        float[] local = params.clone();
        if (adaptation.steps() > 0) {
            innerLoop.adapt(local, encoder.encode(task.support()), InnerLoop.Config.fullBatch(adaptation.steps(),
                    adaptation.learningRate()));
        }
        Batch query = encoder.encode(task.query());
        return new QueryPrediction(task.user(), runtime.predict(local, query.features(), query.size()),
                query.ratings());
    }
}
