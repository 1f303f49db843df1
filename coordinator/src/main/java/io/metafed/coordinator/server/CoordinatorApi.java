package io.metafed.coordinator.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.model.ProvenanceMetadata;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.auth.EnrollmentGuard;
import io.metafed.coordinator.server.auth.EnrollmentToken;
import io.metafed.coordinator.server.auth.Revocations;
import io.metafed.coordinator.server.auth.ModelSigningKey;
import io.metafed.coordinator.server.auth.RequestAuthenticator;
import io.metafed.coordinator.server.codec.UpdateDecoder;
import io.metafed.coordinator.server.handler.Api;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.coordinator.server.handler.ApiRequest;
import io.metafed.coordinator.server.handler.ApiResponse;
import io.metafed.coordinator.server.handler.Route;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.EnrollResponse;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.ModelKeyResponse;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.StatusResponse;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.model.protocol.UpdateResponse;
import io.metafed.security.signature.Ed25519PublicKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * API v1 (docs/PROTOCOL.md) on a {@link Coordinator}, its {@link RoundScheduler} and {@link ClientRegistry}. Every
 * served model carries the {@link ModelSigningKey}'s signature; with client authentication on, enrollment needs a
 * token and a key, and task and update requests must be signed (see {@link RequestAuthenticator}).
 */
public final class CoordinatorApi implements Api {
    private final Coordinator coordinator;
    private final RoundScheduler scheduler;
    private final ClientRegistry registry;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final ParamLayout layout;
    private final int updateCap;
    private final UpdateIntake intake;
    private final ModelSigningKey modelKey;
    private final RequestAuthenticator authenticator; // null: client authentication off
    private final EnrollmentGuard guard;
    private final Revocations revocations;
    private final SecureAggregationRoutes secure;
    private final int maxSelection;
    private volatile EncodedModel encoded;
    private volatile BodyDecoder decoder = UpdateDecoder::decode;

    /** The current model's weight file, its signature and its strong ETag, made once per version. */
    private record EncodedModel(long version, byte[] bytes, String signature, String etag) {
    }

    CoordinatorApi(Coordinator coordinator, RoundScheduler scheduler, ClientRegistry registry, ServerMetrics metrics,
            Clock clock, AuthConfig auth, ModelSigningKey modelKey, SecAggSettings secureAggregation,
            Revocations revocations) {
        this.coordinator = coordinator;
        this.scheduler = scheduler;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.layout = coordinator.layout();
        this.updateCap = UpdateDecoder.maxBytes(layout);
        this.intake = new UpdateIntake(coordinator, scheduler, registry, clock);
        this.modelKey = modelKey;
        this.revocations = revocations;
        this.authenticator = auth.clientAuth() ? new RequestAuthenticator(registry, clock, revocations::deviceRevoked)
                : null;
        this.guard = new EnrollmentGuard(auth.enrollmentTokens(), auth.limits(), revocations, clock);
        this.secure = new SecureAggregationRoutes(scheduler, clock, secureAggregation);
        this.maxSelection = coordinator.config().rounds().selectionSize();
        metrics.enrolledClients(registry.size());
        metrics.modelVersion(coordinator.currentModel().version());
    }

    @Override
    public int maxBodyBytes(Route route) {
        if (route.secureAggregation()) {
            return SecureAggregationRoutes.maxBodyBytes(route, maxSelection, layout.size() + 1);
        }
        return route == Route.UPDATE ? updateCap : Protocol.MAX_JSON_BYTES;
    }

    @Override
    public CompletableFuture<ApiResponse> handleAsync(ApiRequest request) {
        if (!request.route().secureAggregation()) {
            return CompletableFuture.completedFuture(handle(request));
        }
        int round = SecureAggregationRoutes.roundOf(request);
        String clientId = authorizedClient(request, Integer.toString(round));
        return secure.handle(request, clientId, round);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return switch (request.route()) {
            case ENROLL -> enroll(request);
            case TASK -> task(request);
            case MODEL -> model(request);
            case MODEL_KEY -> ApiResponse.json(200, new ModelKeyResponse("Ed25519", modelKey.publicKey().toBase64(),
                    modelKey.publicKey().fingerprint()));
            case UPDATE -> update(request);
            case STATUS -> ApiResponse.json(200, status());
            case METRICS -> ApiResponse.text(ServerMetrics.CONTENT_TYPE, metrics.render());
            case HEALTH -> ApiResponse.text("text/plain; charset=utf-8", "ok");
            // In-process callers may block; the HTTP pipeline uses handleAsync, which never does.
            default -> handleAsync(request).join();
        };
    }

    private ApiResponse enroll(ApiRequest request) {
        guard.admitAddress(request.remoteAddress()); // first: floods cost one bucket look-up each
        JsonObject json = enrollJson(request.body().bytes());
        String clientId;
        try {
            clientId = ClientIds.require(string(json, "clientId", true));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        guard.requireNotRevoked(clientId);
        try {
            if (authenticator == null) {
                if (registry.enroll(clientId)) {
                    enrolled(clientId);
                }
            } else {
                enrollWithKey(request, json, clientId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not persist enrollment of " + clientId, e);
        }
        return ApiResponse.json(200, new EnrollResponse(clientId, true));
    }

    /** Token (unless this key is already enrolled), proof of possession of the key, then durable registration. */
    private void enrollWithKey(ApiRequest request, JsonObject json, String clientId) throws IOException {
        String keyText = string(json, "publicKey", false);
        if (keyText == null) {
            throw badRequest("enrollment needs \"publicKey\": base64 of the device's 32-byte Ed25519 public key");
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromBase64(keyText);
        } catch (IllegalArgumentException e) {
            throw badRequest("publicKey: " + e.getMessage());
        }
        RequestAuthenticator.SignedHeaders headers = authenticator.parse(request);
        requireSameClient(headers.clientId(), clientId, "enrollment");
        if (registry.publicKey(clientId).filter(key::equals).isPresent()) {
            authenticator.verify(request, headers, CanonicalRequest.NO_ROUND, key);
            return; // already enrolled with this key: idempotent, needs no token, counts against no quota
        }
        String presented = string(json, "token", false);
        boolean given = json.has("token");
        authenticator.verify(request, headers, CanonicalRequest.NO_ROUND, key);
        try {
            // Quota check and enrollment under one lock: concurrent requests cannot overshoot max=N.
            ClientRegistry.Enrollment result = registry.locked(() -> {
                EnrollmentToken token = guard.admitToken(clientId, presented, given, registry::enrolledWith);
                return registry.enroll(clientId, key, token.name());
            });
            if (result != ClientRegistry.Enrollment.ALREADY_ENROLLED) {
                enrolled(clientId);
            }
        } catch (ClientRegistry.KeyConflictException e) {
            throw new ApiException(409, ErrorCodes.KEY_CONFLICT, e.getMessage());
        }
    }

    private void enrolled(String clientId) {
        coordinator.checkIn(clientId);
        metrics.enrolledClients(registry.size());
        scheduler.wake();
    }

    private static JsonObject enrollJson(byte[] body) {
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw badRequest("expected JSON {\"clientId\": \"...\"}, found " + json);
            }
            return json.getAsJsonObject();
        } catch (JsonParseException e) {
            throw badRequest("body must be JSON {\"clientId\": \"...\"}: " + e.getMessage());
        }
    }

    /** String field {@code name} of {@code json}; null when absent and not {@code required}. */
    private static String string(JsonObject json, String name, boolean required) {
        JsonElement value = json.get(name);
        if (value == null || value.isJsonNull()) {
            if (required) {
                throw badRequest("expected JSON {\"" + name + "\": \"...\"}, found " + json);
            }
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw badRequest("\"" + name + "\" must be a string, found " + value);
        }
        return value.getAsString();
    }

    private static void requireSameClient(String signer, String named, String what) {
        if (!signer.equals(named)) {
            throw new ApiException(403, ErrorCodes.CLIENT_MISMATCH, what + " names client " + named
                    + " but is signed by client " + signer);
        }
    }

    /** The enrolled client named by {@code ?client=}, which must be the signer when requests are signed. */
    private String authorizedClient(ApiRequest request, String roundId) {
        String signer = authenticator == null ? null : authenticator.authenticate(request, roundId);
        String clientId = knownClient(request.param("client"));
        if (signer != null) {
            requireSameClient(signer, clientId, request.route().path() + " request");
        }
        return clientId;
    }

    private ApiResponse task(ApiRequest request) {
        String clientId = authorizedClient(request, CanonicalRequest.NO_ROUND);
        long now = clock.millis();
        Optional<OpenRound> open = scheduler.current();
        if (open.isPresent() && open.get().offersTaskTo(clientId, now)) {
            RoundTask t = open.get().task();
            return ApiResponse.json(200, TaskResponse.of(t.roundId(), t.modelVersion(),
                    String.format("%016x", t.layoutId()), open.get().deadlineEpochMillis(), t.training(),
                    open.get().secure().map(s -> s.taskFor(clientId)).orElse(null)));
        }
        // Nothing for this client before the open round ends; without a round, ask again soon.
        long waitMillis = open.map(r -> r.deadlineEpochMillis() - now).orElse(RoundScheduler.IDLE_MILLIS);
        return ApiResponse.noContent(Math.max(1, (waitMillis + 999) / 1000));
    }

    private String knownClient(Optional<String> client) {
        String clientId = client.orElseThrow(() -> badRequest("query parameter 'client' is required"));
        try {
            ClientIds.require(clientId);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        guard.requireNotRevoked(clientId);
        if (!registry.contains(clientId)) {
            throw new ApiException(403, ErrorCodes.UNKNOWN_CLIENT, "client " + clientId + " is not enrolled; POST "
                    + Protocol.ENROLL + " first");
        }
        return clientId;
    }

    private ApiResponse model(ApiRequest request) {
        Optional<String> version = request.param("version");
        ModelVersion model = coordinator.currentModel();
        if (version.isPresent() && !version.get().equals(Long.toString(model.version()))) {
            throw new ApiException(409, ErrorCodes.STALE_MODEL, "model version " + version.get()
                    + " is not served; current version is " + model.version());
        }
        EncodedModel e = encoded;
        if (e == null || e.version() != model.version()) {
            byte[] file = WeightFile.write(layout, model.vector(), ProvenanceMetadata.of(model, layout));
            e = new EncodedModel(model.version(), file, modelKey.sign(model.version(), file),
                    ModelEtags.of(model.version(), file));
            encoded = e;
        }
        Map<String, String> headers = Map.of(Protocol.MODEL_VERSION_HEADER, Long.toString(e.version()),
                Protocol.MODEL_SIGNATURE_HEADER, e.signature(), "ETag", e.etag(),
                // Devices may keep the model but must ask (If-None-Match) before using it again.
                "Cache-Control", "no-cache");
        if (ModelEtags.matches(request.header("If-None-Match"), e.etag())) {
            return new ApiResponse(304, null, new byte[0], headers);
        }
        return ApiResponse.bytes(e.bytes(), headers);
    }

    private ApiResponse update(ApiRequest request) {
        try {
            // Cheapest first: headers, then the metadata (no CRC, no Δ), then the signature over the raw bytes,
            // and only an authentic body is decoded, so a forged or replayed upload costs no full decode.
            RequestAuthenticator.SignedHeaders signed = authenticator == null ? null : authenticator.precheck(request);
            if (signed != null) {
                UpdateDecoder.Header header = badUpdate(() -> UpdateDecoder.peek(request.body(), layout));
                authenticator.verify(request, signed, Integer.toString(header.roundId()),
                        registry.publicKey(signed.clientId()).orElseThrow());
                requireSameClient(signed.clientId(), header.clientId(), "update metadata " + Protocol.META_CLIENT);
            }
            ClientUpdate update = badUpdate(() -> decoder.decode(request.body(), layout));
            int round = intake.accept(update);
            metrics.updateAccepted();
            return ApiResponse.json(202, new UpdateResponse(round, true));
        } catch (ApiException e) {
            metrics.updateRejected(e.code());
            throw e;
        }
    }

    /** Decodes an update body; replaceable so tests can count decodes. */
    @FunctionalInterface
    interface BodyDecoder {
        ClientUpdate decode(io.metafed.coordinator.server.handler.RequestBody body, ParamLayout layout);
    }

    /** Tests only: decode update bodies with {@code replacement} (e.g. one that counts its calls). */
    void decodeWith(BodyDecoder replacement) {
        this.decoder = java.util.Objects.requireNonNull(replacement, "replacement");
    }

    private static <T> T badUpdate(java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (UpdateDecoder.UpdateFormatException e) {
            throw new ApiException(400, ErrorCodes.BAD_UPDATE, e.getMessage());
        }
    }

    private StatusResponse status() {
        long model = coordinator.currentModel().version();
        Optional<RoundStatus> round = coordinator.roundStatus();
        long deadline = scheduler.current().map(OpenRound::deadlineEpochMillis).orElse(0L);
        return new StatusResponse(model, registry.size(), round.map(RoundStatus::roundId).orElse(null),
                round.map(r -> r.state().name()).orElse(null), round.map(RoundStatus::accepted).orElse(0),
                round.map(RoundStatus::selected).orElse(0), deadline, String.format("%016x", layout.id()),
                layout.spec().describe());
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, ErrorCodes.BAD_REQUEST, message);
    }
}
