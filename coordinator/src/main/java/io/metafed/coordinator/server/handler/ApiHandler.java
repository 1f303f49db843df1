package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes aggregated requests (404, 405, malformed HTTP → 400) and runs the {@link Api} on {@code executor}, off
 * the event loop, because updates and round work are O(model size). Requests of one connection are chained so
 * pipelined responses keep their order. Faults become 500 {@code internal} with a generic message: the stack
 * trace goes to the log, never to the client. A deferred answer ({@link Api#handleAsync}) holds no worker while
 * it waits: the reply is written by whichever thread completes it. One instance per channel.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** Shared by every connection, so the rate limit holds for the whole server. */
    private static final RefusalLog REFUSALS = new RefusalLog();
    static final int RETRY_AFTER_SECONDS = 1;
    private final Api api;
    private final ServerMetrics metrics;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null); // event loop only

    ApiHandler(Api api, ServerMetrics metrics, Executor executor) {
        this.api = api;
        this.metrics = metrics;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            String why = String.valueOf(request.decoderResult().cause());
            reply(ctx, ApiResponse.error(400, ErrorCodes.BAD_REQUEST, "malformed HTTP request: " + why), false,
                    "other");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        Map<String, List<String>> parameters;
        try {
            path = uri.path();
            parameters = uri.parameters();
        } catch (IllegalArgumentException e) { // a malformed %-escape
            reply(ctx, ApiResponse.error(400, ErrorCodes.BAD_REQUEST, "malformed request target: " + e.getMessage()),
                    keepAlive, "other");
            return;
        }
        Optional<Route> route = Route.match(path);
        if (route.isEmpty()) {
            reply(ctx, ApiResponse.error(404, ErrorCodes.NOT_FOUND, "no route " + path + "; expected one of "
                    + java.util.Arrays.stream(Route.values()).map(Route::path).toList()), keepAlive, "other");
            return;
        }
        Route r = route.get();
        if (!r.method().equals(request.method())) {
            ApiResponse refusal = ApiResponse.error(405, ErrorCodes.METHOD_NOT_ALLOWED, r.path() + " accepts "
                    + r.method() + ", found " + request.method());
            reply(ctx, new ApiResponse(405, refusal.contentType(), refusal.body(), Map.of("Allow",
                    r.method().name())), keepAlive, r.path());
            return;
        }
        Map<String, String> headers = new java.util.HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
        }
        String remote = String.valueOf(ctx.channel().remoteAddress());
        String address = ApiRequest.addressOf(ctx.channel().remoteAddress());
        String target = request.uri();
        // The body stays in the network buffers (retained here, released once below on every path): the update
        // route hashes, checksums and decodes it from there, so no copy of it is made, on the event loop or off it.
        // It is given back as soon as the API call returns, even when the answer is deferred (a long-poll), so a
        // waiting request holds no network buffer; the API reads the body only during the call.
        RequestBody body = RequestBody.adopt(request.content().retain());
        ApiRequest routed = new ApiRequest(r, target, parameters, headers, body, address);
        tail = tail.thenComposeAsync(v -> {
                    try {
                        return invoke(routed, remote);
                    } finally {
                        body.release();
                    }
                }, executor)
                .thenAccept(response -> reply(ctx, response, keepAlive, r.path()))
                .exceptionally(e -> {
                    // Only the executor refusing work gets here: invoke() turns every fault into a response.
                    body.release();
                    LOG.warn("Worker pool refused {}: {}", r.path(), e.toString());
                    reply(ctx, overloaded(), false, r.path());
                    return null;
                });
    }

    /**
     * The answer when the worker queue is full: back-pressure instead of unbounded buffering. Retry-After tells a
     * device to come back in {@value #RETRY_AFTER_SECONDS} s rather than retry at once into the same full queue;
     * the connection is closed so the bodies it may still send are not read.
     */
    static ApiResponse overloaded() {
        ApiResponse e = ApiResponse.error(503, ErrorCodes.UNAVAILABLE, "server is overloaded or shutting down;"
                + " retry after " + RETRY_AFTER_SECONDS + " s");
        return new ApiResponse(e.status(), e.contentType(), e.body(),
                Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }

    /** The answer, possibly deferred (a long-poll); never completes exceptionally. */
    private CompletableFuture<ApiResponse> invoke(ApiRequest request, String remote) {
        try {
            return api.handleAsync(request).handle((response, e) -> e == null ? response
                    : failure(request, remote, e));
        } catch (RuntimeException | Error e) {
            return CompletableFuture.completedFuture(failure(request, remote, e));
        }
    }

    private static ApiResponse failure(ApiRequest request, String remote, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiException a) {
            ApiResponse response = ApiResponse.error(a.status(), a.code(), a.getMessage());
            if (a.status() != 503) { // overload is counted in the metrics, not a client's fault
                String client = request.param("client").or(() -> request.header(Protocol.CLIENT_HEADER))
                        .orElse("(unnamed)");
                REFUSALS.refused(request.route().path(), client, remote, a.status(), a.code(),
                        io.metafed.coordinator.server.OperatorMessages.scrub(a.getMessage()));
            }
            return a.retryAfterSeconds() <= 0 ? response : new ApiResponse(response.status(), response.contentType(),
                    response.body(), Map.of("Retry-After", Long.toString(a.retryAfterSeconds())));
        }
        LOG.error("Internal error on {}", request.route().path(), cause);
        return ApiResponse.error(500, ErrorCodes.INTERNAL, "internal server error; see the server log");
    }

    private void reply(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, String routeLabel) {
        Replies.send(ctx, response, keepAlive, routeLabel, metrics);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            LOG.debug("Closing idle connection {}", ctx.channel().remoteAddress());
        } else {
            LOG.warn("Closing connection {} after a pipeline error: {}", ctx.channel().remoteAddress(),
                    cause.toString());
        }
        ctx.close();
    }
}
