package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.StatusResponse;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.signature.Ed25519KeyPair;
import io.metafed.security.tls.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A JDK HttpClient speaking API v1 to a real socket, trusting only the server's (self-signed) certificate. */
final class TestClient {
    /**
     * Bounds requests and waits. Generous: only a hang should hit it, and the load test's burst of 1,000 TLS
     * handshakes and fsynced enrollments took 14 s at half a core.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final HttpClient client;
    private final URI base;

    TestClient(URI base, Path certificate) throws Exception {
        this(base, certificate, null);
    }

    /** @param executor runs the client's handshakes and callbacks; null for the JDK's (unbounded) default */
    TestClient(URI base, Path certificate, Executor executor) throws Exception {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        if (executor != null) {
            builder.executor(executor);
        }
        if (certificate != null) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("coordinator", Pem.readCertificate(certificate));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            builder.sslContext(ssl);
        }
        this.client = builder.build();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request signed by {@code key} as {@code clientId} (docs/PROTOCOL.md, "Authentication"). */
    HttpResponse<byte[]> sendSigned(String method, String target, byte[] body, String clientId, String roundId,
            Ed25519KeyPair key) throws Exception {
        return client.send(signed(method, target, body, clientId, roundId, key),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@link #sendSigned} without blocking a thread while the request is in flight. */
    CompletableFuture<HttpResponse<byte[]>> sendSignedAsync(String method, String target, byte[] body,
            String clientId, String roundId, Ed25519KeyPair key) {
        return client.sendAsync(signed(method, target, body, clientId, roundId, key),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    CompletableFuture<HttpResponse<byte[]>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest signed(String method, String target, byte[] body, String clientId, String roundId,
            Ed25519KeyPair key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(target)).timeout(TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        SignedRequests.headers(method, target, body, clientId, roundId, key, System.currentTimeMillis(),
                SignedRequests.nonce()).forEach(request::header);
        return request.build();
    }

    void enroll(String clientId) throws Exception {
        HttpResponse<byte[]> r = send("POST", Protocol.ENROLL, ("{\"clientId\":\"" + clientId + "\"}").getBytes());
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
    }

    Optional<TaskResponse> task(String clientId) throws Exception {
        HttpResponse<byte[]> r = send("GET", Protocol.TASK + "?client=" + clientId, null);
        if (r.statusCode() == 204) {
            return Optional.empty();
        }
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        return Optional.of(Json.GSON.fromJson(new String(r.body()), TaskResponse.class));
    }

    /** Polls until {@code clientId} has a task (bounded by {@link #TIMEOUT}). */
    TaskResponse awaitTask(String clientId) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            Optional<TaskResponse> t = task(clientId);
            if (t.isPresent()) {
                return t.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no task for " + clientId + " within " + TIMEOUT);
    }

    Weights model(ParamLayout layout) throws Exception {
        HttpResponse<byte[]> r = send("GET", Protocol.MODEL, null);
        assertEquals(200, r.statusCode());
        Weights w = WeightFile.read(r.body(), layout);
        assertEquals(r.headers().firstValue(Protocol.MODEL_VERSION_HEADER).orElseThrow(),
                w.metadata().get(Protocol.META_MODEL_VERSION));
        return w;
    }

    HttpResponse<byte[]> update(byte[] body) throws Exception {
        return send("POST", Protocol.UPDATE, body);
    }

    StatusResponse status() throws Exception {
        return Json.GSON.fromJson(new String(send("GET", Protocol.STATUS, null).body()), StatusResponse.class);
    }

    String metrics() throws Exception {
        return new String(send("GET", Protocol.METRICS, null).body());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Polls /v1/status until the model version reaches {@code version}. */
    void awaitModelVersion(long version) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (status().modelVersion() < version) {
            if (System.nanoTime() > end) {
                throw new AssertionError("model version " + version + " not reached within " + TIMEOUT + ": "
                        + status());
            }
            Thread.sleep(50);
        }
    }
}
