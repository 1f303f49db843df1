package io.metafed.coordinator.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.model.ProvenanceMetadata;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.codec.UpdateDecoder;
import io.metafed.coordinator.server.handler.Api;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.coordinator.server.handler.ApiRequest;
import io.metafed.coordinator.server.handler.ApiResponse;
import io.metafed.coordinator.server.handler.Route;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.EnrollResponse;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.StatusResponse;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.model.protocol.UpdateResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** API v1 (docs/PROTOCOL.md) on a {@link Coordinator}, its {@link RoundScheduler} and {@link ClientRegistry}. */
public final class CoordinatorApi implements Api {
    private final Coordinator coordinator;
    private final RoundScheduler scheduler;
    private final ClientRegistry registry;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final ParamLayout layout;
    private final int updateCap;
    private final UpdateIntake intake;
    private volatile EncodedModel encoded;

    /** The current model's weight file, encoded once per version. */
    private record EncodedModel(long version, byte[] bytes) {
    }

    CoordinatorApi(Coordinator coordinator, RoundScheduler scheduler, ClientRegistry registry, ServerMetrics metrics,
            Clock clock) {
        this.coordinator = coordinator;
        this.scheduler = scheduler;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.layout = coordinator.layout();
        this.updateCap = UpdateDecoder.maxBytes(layout);
        this.intake = new UpdateIntake(coordinator, scheduler, registry, clock);
        metrics.enrolledClients(registry.size());
        metrics.modelVersion(coordinator.currentModel().version());
    }

    @Override
    public int maxBodyBytes(Route route) {
        return route == Route.UPDATE ? updateCap : Protocol.MAX_JSON_BYTES;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return switch (request.route()) {
            case ENROLL -> enroll(request.body());
            case TASK -> task(request.param("client"));
            case MODEL -> model(request.param("version"));
            case UPDATE -> update(request.body());
            case STATUS -> ApiResponse.json(200, status());
            case METRICS -> ApiResponse.text(ServerMetrics.CONTENT_TYPE, metrics.render());
            case HEALTH -> ApiResponse.text("text/plain; charset=utf-8", "ok");
        };
    }

    private ApiResponse enroll(byte[] body) {
        String clientId;
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            JsonElement id = json.isJsonObject() ? json.getAsJsonObject().get("clientId") : null;
            if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
                throw badRequest("expected JSON {\"clientId\": \"...\"}, found " + json);
            }
            clientId = ClientIds.require(id.getAsString());
        } catch (JsonParseException e) {
            throw badRequest("body must be JSON {\"clientId\": \"...\"}: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        try {
            if (registry.enroll(clientId)) {
                coordinator.checkIn(clientId);
                metrics.enrolledClients(registry.size());
                scheduler.wake();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not persist enrollment of " + clientId, e);
        }
        return ApiResponse.json(200, new EnrollResponse(clientId, true));
    }

    private ApiResponse task(Optional<String> client) {
        String clientId = knownClient(client);
        long now = clock.millis();
        Optional<OpenRound> open = scheduler.current();
        if (open.isPresent() && open.get().offersTaskTo(clientId, now)) {
            RoundTask t = open.get().task();
            return ApiResponse.json(200, new TaskResponse(t.roundId(), t.modelVersion(),
                    String.format("%016x", t.layoutId()), open.get().deadlineEpochMillis(),
                    t.hyperparameters().innerSteps(), t.hyperparameters().innerLr(), t.hyperparameters().batchSize()));
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
        if (!registry.contains(clientId)) {
            throw new ApiException(403, ErrorCodes.UNKNOWN_CLIENT, "client " + clientId + " is not enrolled; POST "
                    + Protocol.ENROLL + " first");
        }
        return clientId;
    }

    private ApiResponse model(Optional<String> version) {
        ModelVersion model = coordinator.currentModel();
        if (version.isPresent() && !version.get().equals(Long.toString(model.version()))) {
            throw new ApiException(409, ErrorCodes.STALE_MODEL, "model version " + version.get()
                    + " is not served; current version is " + model.version());
        }
        EncodedModel e = encoded;
        if (e == null || e.version() != model.version()) {
            e = new EncodedModel(model.version(), WeightFile.write(layout, model.params(),
                    ProvenanceMetadata.of(model)));
            encoded = e;
        }
        return ApiResponse.bytes(e.bytes(), Map.of(Protocol.MODEL_VERSION_HEADER, Long.toString(e.version())));
    }

    private ApiResponse update(byte[] body) {
        try {
            ClientUpdate update;
            try {
                update = UpdateDecoder.decode(body, layout);
            } catch (UpdateDecoder.UpdateFormatException e) {
                throw new ApiException(400, ErrorCodes.BAD_UPDATE, e.getMessage());
            }
            int round = intake.accept(update);
            metrics.updateAccepted();
            return ApiResponse.json(202, new UpdateResponse(round, true));
        } catch (ApiException e) {
            metrics.updateRejected(e.code());
            throw e;
        }
    }

    private StatusResponse status() {
        long model = coordinator.currentModel().version();
        Optional<RoundStatus> round = coordinator.roundStatus();
        long deadline = scheduler.current().map(OpenRound::deadlineEpochMillis).orElse(0L);
        return new StatusResponse(model, registry.size(), round.map(RoundStatus::roundId).orElse(null),
                round.map(r -> r.state().name()).orElse(null), round.map(RoundStatus::accepted).orElse(0),
                round.map(RoundStatus::selected).orElse(0), deadline);
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, ErrorCodes.BAD_REQUEST, message);
    }
}
