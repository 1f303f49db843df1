package io.metafed.simulation.federation;

import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.Checks;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import io.metafed.sdk.runtime.OrtModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * One ONNX Runtime per worker thread. Runtimes are not thread-safe, so work is handed out per worker: worker
 * {@code w} alone uses runtime {@code w}, and every virtual client is bound to one worker for its lifetime.
 */
public final class WorkerRuntimes implements AutoCloseable {
    private final List<OrtModelRuntime> runtimes = new ArrayList<>();
    private final List<CollabRuntime> collabRuntimes = new ArrayList<>();
    private final List<OrtBatchedCollabRuntime> batched = new ArrayList<>();
    private final int groupSize;
    private final int workers;
    private final ExecutorService executor;

    public WorkerRuntimes(ParamLayout layout, int workers) {
        this(layout, workers, CollabBackend.JAVA);
    }

    /**
     * With {@code collab} batched and a collaborative layout, each worker also has its own
     * {@link OrtBatchedCollabRuntime} (one intra-op thread: the workers are the parallelism), which adapts the
     * worker's clients of a round together; their devices still score with the plain-Java runtime.
     */
    public WorkerRuntimes(ParamLayout layout, int workers, CollabBackend collab) {
        Checks.positive(workers, "workers");
        this.workers = workers;
        this.groupSize = collab.groupSize();
        try {
            for (int w = 0; w < workers; w++) {
                if (layout.spec() instanceof CollabConfig) {
                    collabRuntimes.add(new CollabReference(layout));
                    if (collab.batched()) {
                        batched.add(new OrtBatchedCollabRuntime(layout, 1));
                    }
                } else {
                    // The model's own parameters: Meta-SGD's rates in θ are its learner's, not the model's.
                    runtimes.add(new OrtModelRuntime(layout.model()));
                }
            }
        } catch (RuntimeException e) {
            runtimes.forEach(OrtModelRuntime::close);
            batched.forEach(OrtBatchedCollabRuntime::close);
            throw e;
        }
        this.executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "metafed-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int workers() {
        return workers;
    }

    /** Worker {@code worker}'s runtime of a MeLU layout. */
    public OrtModelRuntime runtime(int worker) {
        if (runtimes.isEmpty()) {
            throw new IllegalStateException("workers run a collaborative model: use collabRuntime(worker)");
        }
        return runtimes.get(worker);
    }

    /** Worker {@code worker}'s runtime of a collaborative layout, or null for a MeLU layout. */
    public CollabRuntime collabRuntime(int worker) {
        return collabRuntimes.isEmpty() ? null : collabRuntimes.get(worker);
    }

    /** Worker {@code worker}'s batched runtime of a collaborative layout, or null when its clients adapt one by one. */
    public OrtBatchedCollabRuntime batchedCollab(int worker) {
        return batched.isEmpty() ? null : batched.get(worker);
    }

    /** How many clients a worker with a batched runtime adapts per call. */
    public int collabGroupSize() {
        return groupSize;
    }

    /** Runs {@code job(w)} for every worker w concurrently and returns the results in worker order. */
    public <R> List<R> onEachWorker(IntFunction<R> job) {
        return await(start(job));
    }

    /** Starts {@code job(w)} on every worker w without waiting; {@link #await} collects the results. */
    public <R> List<Future<R>> start(IntFunction<R> job) {
        List<Future<R>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            futures.add(executor.submit(() -> job.apply(worker)));
        }
        return futures;
    }

    /** Waits for every job that {@link #start} started, whatever their outcome, and drops their results. */
    public void awaitQuietly(List<? extends Future<?>> futures) {
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The results of jobs that {@link #start} started, in worker order; a worker's failure is rethrown as
     * {@link #onEachWorker} reports it.
     */
    public <R> List<R> await(List<Future<R>> futures) {
        List<R> results = new ArrayList<>();
        for (Future<R> f : futures) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for simulation workers", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException bad) {
                    throw bad; // bad input keeps its own message
                }
                throw new IllegalStateException("a simulation worker failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return results;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        runtimes.forEach(OrtModelRuntime::close);
        batched.forEach(OrtBatchedCollabRuntime::close);
    }
}
