package io.metafed.sdk.transport;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CoordinatorTransport} over the coordinator's HTTP API v1 (docs/PROTOCOL.md) with the JDK's
 * {@link HttpClient}. Transient failures are retried as the {@link RetryPolicy} says; other 4xx answers
 * throw {@link TransportException.Kind#REFUSED} with the server's error code and message. Downloaded models are
 * verified against the configured model key before use; with device keys, enrollment registers the device's key
 * (with the operator's token) and task/update requests are signed. Securely aggregated rounds use the
 * {@link SecureAggregationChannel} stages (see {@link HttpSecureAggregation}). Thread-safe. Build with {@link #builder(URI)}.
 */
public final class HttpCoordinatorTransport implements CoordinatorTransport, SecureAggregationChannel {
    private static final Logger LOG = LoggerFactory.getLogger(HttpCoordinatorTransport.class);
    private static final Gson GSON = new Gson();
    static final String DUPLICATE_UPDATE = "duplicate_update";

    /** Waits between attempts; replaceable so tests neither sleep nor depend on timing. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String base;
    private final Duration requestTimeout;
    private final RetryingSender sender;
    private final ModelVerifier modelVerifier; // null: unsigned models allowed (development)
    private final RequestSigner signer; // null: unsigned requests (server with --no-client-auth)
    private final String enrollmentToken;
    private final HttpSecureAggregation secure = new HttpSecureAggregation(this::exchange);

    HttpCoordinatorTransport(HttpTransportBuilder b, HttpClient http) {
        String s = b.baseUri.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.requestTimeout = b.requestTimeout;
        this.sender = new RetryingSender(http, b.retryPolicy, b.random, b.sleeper);
        this.modelVerifier = b.modelKey == null ? null : new ModelVerifier(b.modelKey);
        this.signer = b.deviceKeys == null ? null : new RequestSigner(b.deviceKeys,
                b.secureRandom == null ? new SecureRandom() : b.secureRandom, b.clock);
        this.enrollmentToken = b.enrollmentToken;
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
        RetryingSender.Answer answer = sender.send(() -> signed(request(Protocol.ENROLL), "POST", Protocol.ENROLL,
                clientId, CanonicalRequest.NO_ROUND, json).header("Content-Type", Protocol.JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
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
        ClientIds.require(clientId); // the id rules make it safe in a query string without encoding
        String target = Protocol.TASK + "?client=" + clientId;
        RetryingSender.Answer answer = sender.send(() -> signed(request(target), "GET", target, clientId,
                CanonicalRequest.NO_ROUND, new byte[0]).GET().build());
        if (answer.status() == 204) {
            return Optional.empty();
        }
        requireSuccess(answer, Protocol.TASK);
        TaskResponse task = parseJson(answer, TaskResponse.class);
        if (!TaskChecks.isLayoutId(task.layoutId())) {
            throw TransportException.badResponse(answer.status(), "task layoutId must be 16 hex digits, found "
                    + task.layoutId(), null);
        }
        return Optional.of(task);
    }

    @Override
    public GlobalModel downloadModel(ParamLayout layout) {
        RetryingSender.Answer answer = sender.send(request(Protocol.MODEL).GET().build());
        requireSuccess(answer, Protocol.MODEL);
        if (modelVerifier != null) {
            modelVerifier.verify(answer.response()); // before parsing: nothing unverified reaches the parser
        }
        Weights weights;
        try {
            weights = WeightFile.read(answer.body(), layout);
        } catch (WeightFormatException e) {
            if (e.problem() == WeightFormatException.Problem.LAYOUT_MISMATCH) {
                throw TransportException.refused(answer.status(), TaskChecks.LAYOUT_MISMATCH,
                        "coordinator serves a model this device cannot use: " + e.getMessage(), e);
            }
            throw TransportException.badResponse(answer.status(), "global model is not a valid weight file: "
                    + e.getMessage(), e);
        }
        long version = ModelVersions.of(answer.response().headers().firstValue(Protocol.MODEL_VERSION_HEADER),
                weights, answer.status());
        LOG.debug("Downloaded global model v{} ({} params)", version, weights.size());
        return new GlobalModel(version, weights.layoutId(), weights.params());
    }

    @Override
    public void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout) {
        ClientIds.require(clientId);
        TaskChecks.requireUpdateFor(task, update, layout);
        byte[] file = WeightFile.write(layout, update.delta(), Map.of(
                Protocol.META_CLIENT, clientId,
                Protocol.META_ROUND, Integer.toString(task.roundId()),
                Protocol.META_MODEL_VERSION, Long.toString(task.modelVersion()),
                Protocol.META_WEIGHT, Integer.toString(update.exampleCount())));
        RetryingSender.Answer answer = sender.send(() -> signed(request(Protocol.UPDATE), "POST", Protocol.UPDATE,
                clientId, Integer.toString(task.roundId()), file).header("Content-Type", Protocol.OCTETS)
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
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

    /** One request to {@code target}, signed (with {@code roundId} bound) when this transport has device keys. */
    private RetryingSender.Answer exchange(String method, String target, String clientId, String roundId, byte[] body,
            String contentType) {
        ClientIds.require(clientId);
        return sender.send(() -> {
            HttpRequest.Builder b = signed(request(target), method, target, clientId, roundId, body);
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return (body.length == 0 && method.equals("GET") ? b.GET()
                    : b.method(method, HttpRequest.BodyPublishers.ofByteArray(body))).build();
        });
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(requestTimeout);
    }

    /** Adds signature headers when this transport has device keys; a new nonce on every call. */
    private HttpRequest.Builder signed(HttpRequest.Builder request, String method, String target, String clientId,
            String roundId, byte[] body) {
        return signer == null ? request : signer.sign(request, method, target, clientId, roundId, body);
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
