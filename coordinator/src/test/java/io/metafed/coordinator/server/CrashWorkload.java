package io.metafed.coordinator.server;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.signature.Ed25519KeyPair;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enrolled, signing clients (one thread each) submitting to every round they are offered, for the crash test.
 * Records, across server lifetimes, the SHA-256 of each model version as served and every round id handed out;
 * a version served with different bytes, a round id not above those of earlier lifetimes, or an answer outside
 * the designed ones (task 200/204, model 200, update 202/409) is a failure. Transport errors count only
 * before {@link #crashing()}.
 */
final class CrashWorkload {
    final Map<Long, String> served = new ConcurrentHashMap<>();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicInteger accepted = new AtomicInteger();
    private final Map<String, Ed25519KeyPair> keys;
    private final ParamLayout layout;
    private volatile int roundFloor = -1;   // round ids of the current lifetime must exceed this
    private volatile int maxRound = -1;
    private volatile boolean crashing;
    private volatile boolean stopped;
    private final List<Thread> threads = new ArrayList<>();

    CrashWorkload(Map<String, Ed25519KeyPair> keys, ParamLayout layout) {
        this.keys = keys;
        this.layout = layout;
    }

    /** Starts one thread per client against a fresh server lifetime. */
    void start(TestClient http) {
        roundFloor = maxRound;
        crashing = false;
        stopped = false;
        keys.forEach((id, key) -> {
            Thread t = new Thread(() -> loop(http, id, key), "crash-client-" + id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        });
    }

    /** From now on transport errors are the expected effect of the kill. */
    void crashing() {
        crashing = true;
    }

    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(30_000);
            if (t.isAlive()) {
                // A client still running would report the next lifetime's refused connections as failures.
                throw new AssertionError(t.getName() + " did not stop within 30 s");
            }
        }
        threads.clear();
    }

    long maxServedVersion() {
        return served.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Records a served model version; fails if the version was served before with other bytes. */
    void served(long version, byte[] body, String who) {
        String hash = SignedMessages.sha256Hex(body);
        String before = served.putIfAbsent(version, hash);
        if (before != null && !before.equals(hash)) {
            failures.add(who + ": model version " + version + " served as " + hash + ", earlier as " + before);
        }
    }

    private void loop(TestClient http, String id, Ed25519KeyPair key) {
        while (!stopped) {
            try {
                step(http, id, key);
            } catch (IOException e) {
                if (!crashing) {
                    failures.add(id + ": " + e);
                }
                pause(20);
            } catch (Exception e) {
                failures.add(id + ": " + e);
                return;
            }
        }
    }

    private void step(TestClient http, String id, Ed25519KeyPair key) throws Exception {
        HttpResponse<byte[]> t = http.sendSigned("GET", Protocol.TASK + "?client=" + id, new byte[0], id,
                CanonicalRequest.NO_ROUND, key);
        if (t.statusCode() == 204) {
            pause(20);
            return;
        }
        expect(t, 200, id, "task");
        TaskResponse task = Json.GSON.fromJson(new String(t.body()), TaskResponse.class);
        if (task.roundId() <= roundFloor) {
            failures.add(id + ": round id " + task.roundId() + " reused (an earlier lifetime reached " + roundFloor
                    + ")");
        }
        synchronized (this) {
            maxRound = Math.max(maxRound, task.roundId());
        }
        HttpResponse<byte[]> m = http.send("GET", Protocol.MODEL, null);
        expect(m, 200, id, "model");
        served(Long.parseLong(m.headers().firstValue(Protocol.MODEL_VERSION_HEADER).orElseThrow()), m.body(), id);
        HttpResponse<byte[]> u = http.sendSigned("POST", Protocol.UPDATE,
                Updates.body(layout, id, task.roundId(), task.modelVersion(), 0.01f, 1), id,
                Integer.toString(task.roundId()), key);
        if (u.statusCode() == 202) {
            accepted.incrementAndGet();
        } else if (u.statusCode() != 409) { // 409: the round closed at its deadline meanwhile
            expect(u, 202, id, "update");
        }
    }

    private void expect(HttpResponse<byte[]> r, int status, String id, String what) {
        if (r.statusCode() != status && !crashing) {
            failures.add(id + " " + what + ": HTTP " + r.statusCode() + " " + new String(r.body()));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
