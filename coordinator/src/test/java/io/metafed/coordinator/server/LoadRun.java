package io.metafed.coordinator.server;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.signature.Ed25519KeyPair;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Virtual clients for the load test: each enrolls with its own Ed25519 key and the enrollment token, then for
 * every round polls its signed task, downloads the model and posts a signed, seeded random Δ. All run at once
 * as chains of futures on one JDK HttpClient, so thousands are in flight without a thread each. Any answer other
 * than the designed one (enroll 200, task 200/204, model 200, update 202) or any transport error is a failure.
 */
final class LoadRun {
    private static final int MAX_SAMPLES = 10;
    private static final long FIRST_POLL_MILLIS = 200;
    private static final long MAX_POLL_MILLIS = 2_000;
    private final TestClient http;
    private final ParamLayout layout;
    private final int rounds;
    private final long seed;
    private final Executor executor;
    final Latencies latencies = new Latencies();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final Queue<String> failureSamples = new ConcurrentLinkedQueue<>();

    LoadRun(TestClient http, ParamLayout layout, int rounds, long seed, Executor executor) {
        this.http = http;
        this.layout = layout;
        this.rounds = rounds;
        this.seed = seed;
        this.executor = executor;
    }

    /** One virtual client's whole life; completes normally even when it failed (the failure is counted). */
    CompletableFuture<Void> client(int index) {
        String id = String.format("v%05d", index);
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        SplittableRandom random = new SplittableRandom(seed ^ (0x9e3779b97f4a7c15L * (index + 1)));
        return timed("enroll", 200, id, () -> http.sendSignedAsync("POST", Protocol.ENROLL,
                SignedRequests.enrollBody(id, key, SignedRequests.TOKEN), id, CanonicalRequest.NO_ROUND, key))
                .thenCompose(r -> round(id, key, random, 0, -1))
                .exceptionally(e -> {
                    fail(id + ": " + e);
                    return null;
                });
    }

    private CompletableFuture<Void> round(String id, Ed25519KeyPair key, SplittableRandom random, int done,
            int lastRound) {
        if (done == rounds) {
            return CompletableFuture.completedFuture(null);
        }
        return awaitTask(id, key, random, lastRound, FIRST_POLL_MILLIS)
                .thenCompose(task -> timed("model", 200, id, () -> http.getAsync(Protocol.MODEL))
                        .thenApply(model -> requireVersion(id, task, model)))
                .thenCompose(task -> timed("update", 202, id, () -> http.sendSignedAsync("POST", Protocol.UPDATE,
                        Updates.random(layout, id, task.roundId(), task.modelVersion(), random), id,
                        Integer.toString(task.roundId()), key)).thenApply(r -> task.roundId()))
                .thenCompose(roundId -> {
                    accepted.incrementAndGet();
                    return round(id, key, random, done + 1, roundId);
                });
    }

    /**
     * Polls until a round after {@code lastRound} is offered, backing off from {@value #FIRST_POLL_MILLIS} ms to
     * {@value #MAX_POLL_MILLIS} ms with jitter; Retry-After (the round deadline) is ignored so the test stays short.
     */
    private CompletableFuture<TaskResponse> awaitTask(String id, Ed25519KeyPair key, SplittableRandom random,
            int lastRound, long pollMillis) {
        String target = Protocol.TASK + "?client=" + id;
        return timed("task", 200, id, () -> http.sendSignedAsync("GET", target, new byte[0], id,
                CanonicalRequest.NO_ROUND, key)).thenCompose(r -> {
                    if (r.statusCode() == 200) {
                        TaskResponse task = Json.GSON.fromJson(new String(r.body(), StandardCharsets.UTF_8),
                                TaskResponse.class);
                        if (task.roundId() <= lastRound) {
                            throw new IllegalStateException(id + " was offered round " + task.roundId()
                                    + " again after submitting to round " + lastRound);
                        }
                        return CompletableFuture.completedFuture(task);
                    }
                    // One chain per client, so its random is never used concurrently.
                    long delay = pollMillis / 2 + random.nextLong(pollMillis);
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor))
                            .thenCompose(x -> awaitTask(id, key, random, lastRound,
                                    Math.min(MAX_POLL_MILLIS, pollMillis * 2)));
                });
    }

    private static TaskResponse requireVersion(String id, TaskResponse task, HttpResponse<byte[]> model) {
        String served = model.headers().firstValue(Protocol.MODEL_VERSION_HEADER).orElse("none");
        if (!served.equals(Long.toString(task.modelVersion()))) {
            throw new IllegalStateException(id + " got model version " + served + " for a task on version "
                    + task.modelVersion());
        }
        return task;
    }

    /**
     * Sends, records the latency under {@code route} and fails the chain unless the status is {@code expected}
     * (or 204 for the task route, which means "no task yet").
     */
    private CompletableFuture<HttpResponse<byte[]>> timed(String route, int expected, String id,
            Supplier<CompletableFuture<HttpResponse<byte[]>>> send) {
        long start = System.nanoTime();
        return send.get().thenApply(r -> {
            latencies.record(route, System.nanoTime() - start);
            boolean noTask = route.equals("task") && r.statusCode() == 204;
            if (r.statusCode() != expected && !noTask) {
                throw new IllegalStateException(id + " " + route + ": HTTP " + r.statusCode() + " "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r;
        });
    }

    private void fail(String what) {
        failures.incrementAndGet();
        if (failureSamples.size() < MAX_SAMPLES) {
            failureSamples.add(what);
        }
    }

    List<String> failureSamples() {
        return List.copyOf(failureSamples);
    }
}
