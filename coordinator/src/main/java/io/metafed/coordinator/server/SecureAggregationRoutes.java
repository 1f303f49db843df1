package io.metafed.coordinator.server;

import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.coordinator.server.handler.ApiRequest;
import io.metafed.coordinator.server.handler.ApiResponse;
import io.metafed.coordinator.server.handler.Route;
import io.metafed.coordinator.server.secagg.SecAggDecoder;
import io.metafed.coordinator.server.secagg.SecAggEncoder;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.coordinator.server.secagg.SecureRoundSession;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.MaskedInputFormat;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecAggWire;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.secagg.SecAggMessages;
import io.metafed.security.secagg.SecAggServer;
import io.metafed.security.secagg.SecAggStage;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code /v1/secagg/*} routes (docs/PROTOCOL.md, "Secure aggregation") on the open round's
 * {@link SecureRoundSession}. POSTs decode and hand one message to the session and wake the scheduler when a stage
 * is complete; GETs wait (without holding a worker) until the stage they need has closed, at most the poll wait,
 * then answer 204 with {@code Retry-After: 0} so the device asks again at once.
 */
final class SecureAggregationRoutes {
    private final RoundScheduler scheduler;
    private final Clock clock;
    private final long pollMillis;

    SecureAggregationRoutes(RoundScheduler scheduler, Clock clock, SecAggSettings settings) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.pollMillis = settings == null ? Protocol.SECAGG_MAX_WAIT.toMillis() : settings.pollWait().toMillis();
    }

    /** Largest body of a secure-aggregation POST in rounds of at most {@code maxClients} and {@code dimension}. */
    static int maxBodyBytes(Route route, int maxClients, int dimension) {
        return switch (route) {
            case SECAGG_SHARES -> SecAggDecoder.maxSharesBytes(maxClients);
            case SECAGG_UNMASK -> SecAggDecoder.maxUnmaskBytes(maxClients);
            case SECAGG_MASKED -> MaskedInputFormat.size(dimension);
            default -> Protocol.MAX_JSON_BYTES;
        };
    }

    /** The round id a secure-aggregation request names ({@code ?round=R}); signatures bind it. */
    static int roundOf(ApiRequest request) {
        String round = request.param("round").orElseThrow(() -> new ApiException(400, ErrorCodes.BAD_REQUEST,
                "query parameter 'round' is required on " + request.route().path()));
        if (!round.matches("\\d{1,9}")) {
            throw new ApiException(400, ErrorCodes.BAD_REQUEST, "query parameter 'round' must be a round id,"
                    + " found '" + round + "'");
        }
        return Integer.parseInt(round);
    }

    CompletableFuture<ApiResponse> handle(ApiRequest request, String client, int round) {
        SecureRoundSession session = session(round);
        int index = session.index(client);
        byte[] body = request.body().bytes(); // stage messages are parsed whole; not the update hot path
        return switch (request.route()) {
            case SECAGG_KEYS -> {
                SecAggDecoder.SignedKeys keys = SecAggDecoder.keys(index, body);
                session.requireKeysSigned(client, keys.keys(), keys.signature());
                yield accept(session, SecAggStage.ADVERTISE_KEYS, index, body, s -> {
                    s.acceptKeys(keys.keys());
                    session.keySignature(index, keys.signature()); // under the session's lock, with the keys
                });
            }
            case SECAGG_CONSISTENCY -> {
                requireSigned(session, request);
                byte[] signature = SecAggDecoder.consistency(body);
                yield accept(session, SecAggStage.CONSISTENCY_CHECK, index, body,
                        s -> s.acceptConsistencySignature(index, signature));
            }
            case SECAGG_SIGNATURES -> {
                requireSigned(session, request);
                yield await(session, SecAggStage.CONSISTENCY_CHECK, () -> member(session, "survivor signatures",
                        session.results().signatures(), m -> session.results().unmask().survivors().contains(index)
                                ? session.results().signaturesJson() : null), ApiResponse::json);
            }
            case SECAGG_SHARES -> {
                SecAggMessages.ShareUpload shares = SecAggDecoder.shares(index, body, session.clientCount());
                yield accept(session, SecAggStage.SHARE_KEYS, index, body, s -> s.acceptShares(shares));
            }
            case SECAGG_MASKED -> {
                SecAggMessages.MaskedInput masked = SecAggDecoder.masked(index, round, body, session.dimension());
                yield accept(session, SecAggStage.MASKED_INPUT, index, body, s -> s.acceptMaskedInput(masked));
            }
            case SECAGG_UNMASK -> {
                SecAggMessages.UnmaskResponse shares = SecAggDecoder.unmask(index, body, session.clientCount());
                yield accept(session, SecAggStage.UNMASKING, index, body, s -> s.acceptUnmaskResponse(shares));
            }
            case SECAGG_ROSTER -> await(session, SecAggStage.ADVERTISE_KEYS, () -> member(session, "key roster",
                    session.results().roster(), r -> r.keys().containsKey(index) ? session.results().rosterJson(index)
                            : null), ApiResponse::json);
            case SECAGG_INBOX -> await(session, SecAggStage.SHARE_KEYS, () -> member(session, "share inbox",
                    session.results().inboxes(), m -> m.get(index)),
                    b -> ApiResponse.json(200, SecAggEncoder.inbox(round, b)));
            case SECAGG_UNMASK_REQUEST -> await(session, SecAggStage.MASKED_INPUT, () -> member(session,
                    "unmask request", session.results().unmask(), u -> u.survivors().contains(index)
                            ? session.results().unmaskJson() : null), ApiResponse::json);
            default -> throw new IllegalArgumentException("not a secure-aggregation route: " + request.route());
        };
    }

    private static void requireSigned(SecureRoundSession session, ApiRequest request) {
        if (!session.signed()) {
            throw new ApiException(409, ErrorCodes.SECAGG_WRONG_STAGE, request.route().path() + ": secure round "
                    + session.roundId() + " is unsigned and has no consistency check");
        }
    }

    private SecureRoundSession session(int round) {
        Optional<OpenRound> open = scheduler.current();
        if (open.isEmpty() || open.get().roundId() != round) {
            throw new ApiException(409, ErrorCodes.STALE_ROUND, "round " + round + " is not open"
                    + open.map(o -> "; the open round is " + o.roundId()).orElse("; no round is open"));
        }
        return open.get().secure().orElseThrow(() -> new ApiException(409, ErrorCodes.SECAGG_NOT_ENABLED,
                "round " + round + " is not securely aggregated; send the update to " + Protocol.UPDATE));
    }

    private CompletableFuture<ApiResponse> accept(SecureRoundSession session, SecAggStage stage, int index,
            byte[] body, Consumer<SecAggServer> call) {
        if (session.accept(stage, index, SignedMessages.sha256(body), clock.millis(), call)) {
            scheduler.wake();
        }
        return CompletableFuture.completedFuture(ApiResponse.json(200, new SecAggWire.Ack(session.roundId(),
                stage.name(), true)));
    }

    private <T> CompletableFuture<ApiResponse> await(SecureRoundSession session, SecAggStage stage,
            Supplier<T> result, Function<T, ApiResponse> reply) {
        return session.after(stage, pollMillis, result)
                .thenApply(r -> r.map(reply).orElse(ApiResponse.noContent(0)));
    }

    /** {@code view} of a stage's result for this client; 409 when the round failed or the client is not in it. */
    private static <R, T> T member(SecureRoundSession session, String what, R stageResult, Function<R, T> view) {
        if (stageResult == null) {
            throw session.wrongStage(what);
        }
        T mine = view.apply(stageResult);
        if (mine == null) {
            throw new ApiException(409, ErrorCodes.SECAGG_WRONG_STAGE, what + ": this client did not answer the"
                    + " previous stage of secure round " + session.roundId() + " in time, so it has left the round");
        }
        return mine;
    }
}
