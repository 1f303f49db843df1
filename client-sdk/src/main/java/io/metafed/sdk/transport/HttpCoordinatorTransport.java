package io.metafed.sdk.transport;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.EnrollRequest;
import io.metafed.model.protocol.EnrollResponse;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.security.secagg.SecAggMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CoordinatorTransport} over the coordinator's HTTP API v1 (docs/PROTOCOL.md) on an {@link HttpExchange}:
 * by default {@link UrlConnectionExchange} ({@code HttpURLConnection}, so it runs on Android and the JVM alike).
 * Transient failures are retried as the {@link RetryPolicy} says; other 4xx answers throw
 * {@link TransportException.Kind#REFUSED} with the server's error code and message. Downloaded models are verified
 * against the configured model key before use ({@link ModelVerifier}); with a model cache the transport asks with
 * {@code If-None-Match} and uses the cached copy on 304, verified again. With device keys, enrollment registers the
 * device's key (with the operator's token) and task/update requests are signed ({@link RequestSigner}). Securely
 * aggregated rounds use the {@link SecureAggregationChannel} stages (see {@link HttpSecureAggregation}).
 * Thread-safe. Build with {@link #builder(URI)}.
 */
public final class HttpCoordinatorTransport implements CoordinatorTransport, SecureAggregationChannel {
    private static final Logger LOG = LoggerFactory.getLogger(HttpCoordinatorTransport.class);
    private static final Gson GSON = new Gson();
    static final String DUPLICATE_UPDATE = "duplicate_update";
    private static final byte[] NO_BODY = new byte[0];

    /** Waits between attempts; replaceable so tests neither sleep nor depend on timing. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RetryingSender sender;
    private final ModelVerifier modelVerifier; // null: unsigned models allowed (development)
    private final RequestSigner signer; // null: unsigned requests (server with --no-client-auth)
    private final DeviceKeys deviceKeys;
    private final String enrollmentToken;
    private final ModelCache cache; // null: every download fetches the whole model
    private final HttpSecureAggregation secure = new HttpSecureAggregation(this::exchange);

    HttpCoordinatorTransport(HttpTransportBuilder b, HttpExchange http) {
        this.sender = new RetryingSender(http, b.retryPolicy, b.random, b.sleeper);
        this.modelVerifier = b.modelKey == null ? null : new ModelVerifier(b.modelKey);
        this.deviceKeys = b.deviceKeys;
        this.signer = b.deviceKeys == null ? null : new RequestSigner(b.deviceKeys,
                b.secureRandom == null ? new SecureRandom() : b.secureRandom, b.clock);
        this.enrollmentToken = b.enrollmentToken;
        this.cache = b.modelCache == null ? null : new ModelCache(b.modelCache);
    }

    /** A builder for a coordinator at {@code baseUri} ({@code http} or {@code https}, optionally with a path). */
    public static HttpTransportBuilder builder(URI baseUri) {
        return new HttpTransportBuilder(baseUri);
    }

    @Override
    public void enroll(String clientId) {
        ClientIds.require(clientId);
        EnrollRequest enroll = signer == null ? new EnrollRequest(clientId)
                : new EnrollRequest(clientId, signer.keyPair(clientId).publicKey().toBase64(), enrollmentToken);
        byte[] json = GSON.toJson(enroll).getBytes(StandardCharsets.UTF_8);
        RetryingSender.Answer answer = exchange("POST", Protocol.ENROLL, clientId, CanonicalRequest.NO_ROUND, json,
                Protocol.JSON);
        requireSuccess(answer, Protocol.ENROLL);
        EnrollResponse body = parseJson(answer, EnrollResponse.class);
        if (!body.enrolled() || !clientId.equals(body.clientId())) {
            throw TransportException.badResponse(answer.status(), "enroll of '" + clientId
                    + "' must answer {clientId: '" + clientId + "', enrolled: true}, found " + body, null);
        }
        LOG.debug("Enrolled client {}", clientId);
    }

    @Override
    public Optional<TaskResponse> task(String clientId) {
        return poll(clientId).task();
    }

    @Override
    public TaskPoll poll(String clientId) {
        ClientIds.require(clientId); // the id rules make it safe in a query string without encoding
        String target = Protocol.TASK + "?client=" + clientId;
        RetryingSender.Answer answer = exchange("GET", target, clientId, CanonicalRequest.NO_ROUND, NO_BODY, null);
        if (answer.status() == 204) {
            OptionalLong seconds = RetryingSender.retryAfterSeconds(answer.response());
            return TaskPoll.none(seconds.isPresent() ? Optional.of(Duration.ofSeconds(seconds.getAsLong()))
                    : Optional.empty());
        }
        requireSuccess(answer, Protocol.TASK);
        TaskResponse task = parseJson(answer, TaskResponse.class);
        if (!TaskChecks.isLayoutId(task.layoutId())) {
            throw TransportException.badResponse(answer.status(), "task layoutId must be 16 hex digits, found "
                    + task.layoutId(), null);
        }
        return TaskPoll.of(task);
    }

    @Override
    public GlobalModel downloadModel(ParamLayout layout) {
        Optional<ModelCache.Entry> cached = cache == null ? Optional.empty() : cache.load();
        Map<String, String> headers = cached.isPresent()
                ? Collections.singletonMap("If-None-Match", cached.get().etag()) : Collections.emptyMap();
        RetryingSender.Answer answer = sender.send(new HttpExchange.Request("GET", Protocol.MODEL, headers, NO_BODY));
        if (answer.status() == 304 && cached.isPresent()) {
            ModelCache.Entry entry = cached.get();
            try {
                GlobalModel model = decode(0, Optional.of(entry.version()), Optional.ofNullable(entry.signature()),
                        entry.file(), layout);
                LOG.debug("Global model v{} unchanged (304); using the cached copy", model.version());
                return model;
            } catch (TransportException e) {
                // A cache altered on the device, or one from another layout or key: drop it and fetch anew.
                LOG.warn("Refusing the cached model in {}: {}", cache.file(), e.getMessage());
                deleteCache();
                return downloadModel(layout);
            }
        }
        requireSuccess(answer, Protocol.MODEL);
        if (answer.status() != 200) {
            throw TransportException.badResponse(answer.status(), Protocol.MODEL + " must answer 200 with a model"
                    + (cached.isPresent() ? " or 304" : "") + ", found HTTP " + answer.status(), null);
        }
        HttpExchange.Response response = answer.response();
        Optional<String> version = response.header(Protocol.MODEL_VERSION_HEADER);
        Optional<String> signature = response.header(Protocol.MODEL_SIGNATURE_HEADER);
        GlobalModel model = decode(answer.status(), version, signature, answer.body(), layout);
        Optional<String> etag = response.header("ETag");
        if (cache != null && etag.isPresent()) {
            cache.store(new ModelCache.Entry(etag.get(), Long.toString(model.version()), signature.orElse(null),
                    answer.body()));
        }
        LOG.debug("Downloaded global model v{} ({} params)", model.version(), layout.size());
        return model;
    }

    /** Verifies (when a model key is set) before parsing: nothing unverified reaches the parser. */
    private GlobalModel decode(int status, Optional<String> versionHeader, Optional<String> signature, byte[] file,
            ParamLayout layout) {
        if (modelVerifier != null) {
            modelVerifier.verify(status, versionHeader, signature, file);
        }
        Weights weights;
        try {
            weights = WeightFile.read(file, layout);
        } catch (WeightFormatException e) {
            if (e.problem() == WeightFormatException.Problem.LAYOUT_MISMATCH) {
                throw TransportException.refused(status, TaskChecks.LAYOUT_MISMATCH,
                        "coordinator serves a model this device cannot use: " + e.getMessage(), e);
            }
            throw TransportException.badResponse(status, "global model is not a valid weight file: "
                    + e.getMessage(), e);
        }
        long version = ModelVersions.of(versionHeader, weights, status);
        // weights.params() is a fresh copy nobody else holds: the model takes it over.
        return new GlobalModel(version, weights.layoutId(), ParamVector.adopt(weights.params()));
    }

    @Override
    public void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout) {
        ClientIds.require(clientId);
        TaskChecks.requireUpdateFor(task, update, layout);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Protocol.META_CLIENT, clientId);
        meta.put(Protocol.META_ROUND, Integer.toString(task.roundId()));
        meta.put(Protocol.META_MODEL_VERSION, Long.toString(task.modelVersion()));
        meta.put(Protocol.META_WEIGHT, Integer.toString(update.exampleCount()));
        byte[] file = WeightFile.write(layout, update.deltaVector(), meta);
        RetryingSender.Answer answer = exchange("POST", Protocol.UPDATE, clientId, Integer.toString(task.roundId()),
                file, Protocol.OCTETS);
        boolean duplicate = answer.status() == 409
                && answer.error().map(ErrorResponse::error).filter(DUPLICATE_UPDATE::equals).isPresent();
        if (duplicate && answer.earlierMayHaveLanded()) {
            // The connection broke (or the server failed) after an earlier attempt was counted.
            LOG.info("Update of {} for round {} was already counted by an earlier attempt", clientId, task.roundId());
            return;
        }
        requireSuccess(answer, Protocol.UPDATE);
        LOG.debug("Submitted update of {} for round {} ({} examples)", clientId, task.roundId(),
                update.exampleCount());
    }

    /** Deletes the model cache and, when the SDK created them, the device keys of {@code clientId}. */
    @Override
    public void deleteLocalData(String clientId) {
        ClientIds.require(clientId);
        deleteCache();
        if (deviceKeys != null) {
            try {
                deviceKeys.delete(clientId);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the device key of " + clientId, e);
            }
        }
    }

    private void deleteCache() {
        if (cache != null) {
            try {
                cache.delete();
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the model cache " + cache.file(), e);
            }
        }
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, SecAggMessages.KeyAdvertisement keys) {
        secure.advertiseKeys(clientId, task, keys);
    }

    @Override
    public Optional<SecAggMessages.KeyRoster> roster(String clientId, TaskResponse task) {
        return secure.roster(clientId, task);
    }

    @Override
    public void sendShares(String clientId, TaskResponse task, SecAggMessages.ShareUpload shares) {
        secure.sendShares(clientId, task, shares);
    }

    @Override
    public Optional<SecAggMessages.ShareInbox> inbox(String clientId, TaskResponse task) {
        return secure.inbox(clientId, task);
    }

    @Override
    public void sendMaskedInput(String clientId, TaskResponse task, SecAggMessages.MaskedInput input) {
        secure.sendMaskedInput(clientId, task, input);
    }

    @Override
    public Optional<SecAggMessages.UnmaskRequest> unmaskRequest(String clientId, TaskResponse task) {
        return secure.unmaskRequest(clientId, task);
    }

    @Override
    public void sendUnmask(String clientId, TaskResponse task, SecAggMessages.UnmaskResponse response) {
        secure.sendUnmask(clientId, task, response);
    }

    @Override
    public java.util.Optional<io.metafed.security.signature.Ed25519KeyPair> identity(String clientId) {
        return signer == null ? java.util.Optional.empty() : java.util.Optional.of(signer.keyPair(clientId));
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, SecAggMessages.KeyAdvertisement keys,
            byte[] signature) {
        secure.advertiseKeys(clientId, task, keys, signature);
    }

    @Override
    public Optional<io.metafed.security.secagg.SecAggSignatures.SignedRoster> signedRoster(String clientId,
            TaskResponse task) {
        return secure.signedRoster(clientId, task);
    }

    @Override
    public void sendConsistency(String clientId, TaskResponse task, byte[] signature) {
        secure.sendConsistency(clientId, task, signature);
    }

    @Override
    public Optional<java.util.Map<Integer, byte[]>> survivorSignatures(String clientId, TaskResponse task) {
        return secure.survivorSignatures(clientId, task);
    }

    /** One request to {@code target}, signed anew for every attempt (with {@code roundId} bound) when keyed. */
    private RetryingSender.Answer exchange(String method, String target, String clientId, String roundId, byte[] body,
            String contentType) {
        ClientIds.require(clientId);
        return sender.send(() -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            if (signer != null) {
                headers.putAll(signer.headers(method, target, clientId, roundId, body));
            }
            return new HttpExchange.Request(method, target, headers, body);
        });
    }

    /** 2xx passes; any other final answer is a refusal (4xx) or a protocol break (e.g. a redirect). */
    static void requireSuccess(RetryingSender.Answer answer, String route) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return;
        }
        Optional<ErrorResponse> error = answer.error();
        String message = route + " answered HTTP " + status + RetryingSender.detail(answer.response());
        if (status >= 400 && status < 500) {
            throw TransportException.refused(status, error.map(ErrorResponse::error).orElse(null), message);
        }
        throw TransportException.badResponse(status, message, null);
    }

    private static <T> T parseJson(RetryingSender.Answer answer, Class<T> type) {
        try {
            T value = GSON.fromJson(new String(answer.body(), StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new JsonParseException("empty body");
            }
            return value;
        } catch (JsonParseException e) {
            throw TransportException.badResponse(answer.status(), "expected a JSON " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
