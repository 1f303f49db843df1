package io.metafed.simulation.federation;

import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.Checks;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.ModelRuntime;
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
 * One runtime per worker. ONNX Runtime sessions are not thread-safe, so worker {@code w} alone uses runtime
 * {@code w}. A virtual client does not own a worker: it is built with a {@link #boundRuntime bound} runtime that
 * resolves, on each call, to the runtime of the worker running it, so any free worker can take any client (a shared
 * queue rather than a fixed client-to-worker binding, in which the worker with the largest share of a round's clients
 * decides when the round ends). Called off the workers (a test, the driver), a bound runtime uses its client's home
 * worker's runtime, as a fixed binding did.
 */
public final class WorkerRuntimes implements AutoCloseable {
    private final List<OrtModelRuntime> runtimes = new ArrayList<>();
    private final List<CollabRuntime> collabRuntimes = new ArrayList<>();
    private final List<OrtBatchedCollabRuntime> batched = new ArrayList<>();
    private final int groupSize;
    private final int workers;
    private final ExecutorService executor;
    /** The worker whose job this thread runs, or null off the workers. */
    private final ThreadLocal<Integer> current = new ThreadLocal<>();

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

    /**
     * A runtime for a client whose home worker is {@code home}: on a worker it is that worker's runtime, elsewhere
     * worker {@code home}'s. Every runtime of a layout computes the same function, so which one runs a client does
     * not change its update.
     */
    public ModelRuntime boundRuntime(int home) {
        runtime(home); // fails now, not at first use, for a collaborative layout or a bad index
        return new Bound(home);
    }

    /** {@link #boundRuntime} for a collaborative layout. */
    public CollabRuntime boundCollabRuntime(int home) {
        if (collabRuntime(home) == null) {
            throw new IllegalStateException("workers run a MeLU model: use boundRuntime(worker)");
        }
        return new BoundCollab(home);
    }

    /** The worker whose job the calling thread runs, else {@code home}. */
    private int workerOr(int home) {
        Integer w = current.get();
        return w != null ? w : home;
    }

    private final class Bound implements ModelRuntime {
        private final int home;

        Bound(int home) {
            this.home = home;
        }

        private ModelRuntime target() {
            return runtimes.get(workerOr(home));
        }

        @Override
        public ParamLayout layout() {
            return runtimes.get(home).layout();
        }

        @Override
        public float[] predict(float[] params, float[] features, int n) {
            return target().predict(params, features, n);
        }

        @Override
        public double sgdStep(float[] params, Batch batch, float learningRate, float[] out) {
            return target().sgdStep(params, batch, learningRate, out);
        }

        @Override
        public double gradient(float[] params, Batch batch, float[] gradient) {
            return target().gradient(params, batch, gradient);
        }
    }

    private final class BoundCollab implements CollabRuntime {
        private final int home;

        BoundCollab(int home) {
            this.home = home;
        }

        private CollabRuntime target() {
            return collabRuntimes.get(workerOr(home));
        }

        @Override
        public ParamLayout layout() {
            return collabRuntimes.get(home).layout();
        }

        @Override
        public float[] predict(float[] theta, float[] z, CollabBatch batch) {
            return target().predict(theta, z, batch);
        }

        @Override
        public float[] reconstruct(float[] theta, CollabBatch support) {
            return target().reconstruct(theta, support);
        }

        @Override
        public double trainStep(float[] theta, float[] z, CollabBatch batch, float learningRate, float[] out) {
            return target().trainStep(theta, z, batch, learningRate, out);
        }
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
            futures.add(executor.submit(() -> {
                // A pool thread may run several workers' jobs one after another, never two at once: the job, not
                // the thread, says whose runtime its clients use.
                current.set(worker);
                try {
                    return job.apply(worker);
                } finally {
                    current.remove();
                }
            }));
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
